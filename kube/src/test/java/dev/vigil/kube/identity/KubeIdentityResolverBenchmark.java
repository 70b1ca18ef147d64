package dev.vigil.kube.identity;

import dev.vigil.kube.inventory.ClusterInventory;
import dev.vigil.kube.inventory.Kind;
import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockCluster;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the lookups sensors make per flow and per event, on a resolver synced from the CRUD mock
 * API server with {@value #PODS} pods (one container each), {@value #SERVICES} Services, a node, and
 * {@value #REUSED} addresses that moved from a deleted pod to a new one. Run:
 * {@code bench/jmh.sh kube KubeIdentityResolverBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KubeIdentityResolverBenchmark {

    static final int PODS = 1024;
    static final int SERVICES = 256;
    static final int REUSED = 64;

    private Path dir;
    private MockCluster cluster;
    private ClusterInventory inventory;
    private KubeIdentityResolver resolver;

    private final String[] podIps = new String[PODS];
    private final String[] serviceIps = new String[SERVICES];
    private final String[] externalIps = new String[256];
    private final String[] reusedIps = new String[REUSED];
    private final String[] fullIds = new String[PODS];
    private final String[] shortIds = new String[PODS];
    private final String[] uris = new String[PODS];
    private final Instant now = Instant.now().plusSeconds(3600);
    private long nowNanos;
    private long beforeReuse;
    private int i;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("vigil-kube-bench");
        cluster = MockCluster.start(dir);
        KubernetesClient client = cluster.client();
        Instant ready = Instant.now().minusSeconds(3600);
        for (int p = 0; p < PODS; p++) {
            podIps[p] = "10.244." + (p / 250) + "." + (p % 250 + 2);
            fullIds[p] = KubeObjects.containerId(p);
            shortIds[p] = fullIds[p].substring(0, 12);
            uris[p] = "containerd://" + fullIds[p];
            Pod pod = KubeObjects.runningPod("ns" + p % 16, "pod-" + p, podIps[p], ready, "node-1").editMetadata()
                    .withOwnerReferences(KubeObjects.controller("ReplicaSet", "app" + p % 64 + "-5d9f7"))
                    .addToLabels("pod-template-hash", "5d9f7").endMetadata().build();
            client.resource(KubeObjects.withContainer(pod, "app", "registry.local/app:1", fullIds[p],
                    "sha256:" + KubeObjects.containerId(-1))).create();
        }
        for (int s = 0; s < SERVICES; s++) {
            serviceIps[s] = "10.96." + (s / 250) + "." + (s % 250 + 2);
            client.resource(KubeObjects.service("ns" + s % 16, "svc-" + s, serviceIps[s])).create();
        }
        client.resource(KubeObjects.node("node-1", "192.168.50.10")).create();
        for (int e = 0; e < externalIps.length; e++) {
            externalIps[e] = "203.0.113." + e;
        }
        inventory = new ClusterInventory(client, Kind.IDENTITY);
        resolver = KubeIdentityResolver.attach(inventory);
        inventory.start().waitUntilSynced(Duration.ofMinutes(2));

        Instant oldReady = Instant.now().minusSeconds(60);
        beforeReuse = Times.nanos(oldReady.plusSeconds(30));
        for (int r = 0; r < REUSED; r++) {
            reusedIps[r] = "10.244.200." + (r + 2);
            Pod old = client.resource(KubeObjects.runningPod("reuse", "old-" + r, reusedIps[r], oldReady, "node-1")
                    .build()).create();
            waitFor(() -> resolver.resolveNow(old.getStatus().getPodIP()) instanceof Endpoint.Pod);
            client.resource(old).delete();
        }
        waitFor(() -> resolver.stats().closedTenures() == REUSED);
        Instant later = Instant.now().plusSeconds(5);
        for (int r = 0; r < REUSED; r++) {
            client.resource(KubeObjects.runningPod("reuse", "new-" + r, reusedIps[r], later, "node-1").build()).create();
        }
        waitFor(() -> resolver.stats().openTenures() == PODS + SERVICES + 1 + REUSED);
        nowNanos = Times.nanos(now);
        check(resolver.resolveEpochNanos(reusedIps[0], beforeReuse) instanceof Endpoint.Pod p && p.name().equals("old-0"),
                "historic lookup");
        check(resolver.resolveEpochNanos(reusedIps[0], nowNanos) instanceof Endpoint.Pod p && p.name().equals("new-0"),
                "current lookup of a reused address");
        check(resolver.container(shortIds[7]).isPresent(), "short id lookup");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark setup did not converge");
            }
            Thread.onSpinWait();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup broken: " + what);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        inventory.close();
        cluster.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Endpoint resolvePod() {
        return resolver.resolveEpochNanos(podIps[i++ & (PODS - 1)], nowNanos);
    }

    @Benchmark
    public Endpoint resolvePodWithInstant() {
        return resolver.resolve(podIps[i++ & (PODS - 1)], now);
    }

    @Benchmark
    public Endpoint resolveService() {
        return resolver.resolveEpochNanos(serviceIps[i++ & (SERVICES - 1)], nowNanos);
    }

    @Benchmark
    public Endpoint resolveReusedAddressInThePast() {
        return resolver.resolveEpochNanos(reusedIps[i++ & (REUSED - 1)], beforeReuse);
    }

    @Benchmark
    public Endpoint resolveExternal() {
        return resolver.resolveEpochNanos(externalIps[i++ & 255], nowNanos);
    }

    @Benchmark
    public Optional<ContainerIdentity> containerByFullId() {
        return resolver.container(fullIds[i++ & (PODS - 1)]);
    }

    @Benchmark
    public Optional<ContainerIdentity> containerByShortId() {
        return resolver.container(shortIds[i++ & (PODS - 1)]);
    }

    @Benchmark
    public Optional<ContainerIdentity> containerByUri() {
        return resolver.container(uris[i++ & (PODS - 1)]);
    }
}
