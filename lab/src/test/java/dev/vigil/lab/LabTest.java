package dev.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.lab.image.BuiltImage;
import dev.vigil.lab.image.ImageStore;
import dev.vigil.lab.image.OciLayout;
import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Cgroups;
import dev.vigil.lab.runc.Mounts;
import dev.vigil.lab.runc.Runc;
import dev.vigil.lab.command.Command;
import dev.vigil.testkit.Requirements;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real lab, end to end, as root: one lab for the whole class, checked against the kernel, the
 * OCI layout and its own API server, then taken down (and a crashed lab swept) with nothing left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTest {

    private static LabStatus lab;
    private static final List<String> ALL_PODS = new ArrayList<>();

    @BeforeAll
    static void up() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "openssl", "dnsmasq", "redis-server", "curl", "busybox", "kubectl");
        Lab.releaseOwned(); // this class takes its lab down and checks nothing is left
        lab = Lab.upOwned(Lab.DEFAULT_DIR, m -> System.err.println("lab: " + m));
        lab.pods().forEach(p -> ALL_PODS.add(p.namespace() + "/" + p.name()));
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            Lab.down(m -> { });
        }
    }

    private static ExecResult exec(String ns, String workload, String container, String... argv) {
        return Lab.exec(ns, workload, container, argv);
    }

    @Test
    @Order(1)
    void containersRunInTheirPodNamespacesWithKubeletCgroups() throws IOException {
        Object hostPidNs = Files.getAttribute(Path.of("/proc/self/ns/pid"), "unix:ino");
        Object hostMntNs = Files.getAttribute(Path.of("/proc/self/ns/mnt"), "unix:ino");
        assertThat(lab.pods()).hasSize(7);
        for (LabStatus.Pod pod : lab.pods()) {
            Object podNet = Files.getAttribute(Netns.path(pod.netns()), "unix:ino");
            for (LabStatus.Container c : pod.containers()) {
                Path proc = Path.of("/proc", Long.toString(c.pid()));
                assertThat(Files.getAttribute(proc.resolve("ns/net"), "unix:ino")).as(c.name() + " netns").isEqualTo(podNet);
                assertThat(Files.getAttribute(proc.resolve("ns/pid"), "unix:ino")).isNotEqualTo(hostPidNs);
                assertThat(Files.getAttribute(proc.resolve("ns/mnt"), "unix:ino")).isNotEqualTo(hostMntNs);
                String expected = "/kubepods/besteffort/pod" + pod.uid() + "/" + c.id();
                assertThat(c.id()).matches("[0-9a-f]{64}");
                assertThat(c.cgroup()).isEqualTo(expected);
                List<String> lines = Files.readAllLines(proc.resolve("cgroup"));
                assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(":" + expected));
                for (Path h : Cgroups.hierarchies()) {
                    assertThat(h.resolve(expected.substring(1))).isDirectory();
                }
            }
            assertThat(Path.of("/sys/class/net", pod.hostVeth(), "master").toRealPath().getFileName().toString())
                    .as("host side of " + pod.name() + " is on the lab bridge").isEqualTo(Netns.BRIDGE);
        }
    }

    @Test
    @Order(2)
    void apiListsPodsWhoseIpsContainerIdsAndDigestsMatchTheRealContainers() throws IOException {
        Map<String, BuiltImage> layout = new ImageStore(Path.of("/var/cache/vigil-lab")).list().stream()
                .collect(Collectors.toMap(BuiltImage::reference, Function.identity()));
        OciLayout oci = new ImageStore(Path.of("/var/cache/vigil-lab")).layout();
        try (KubernetesClient api = client()) {
            List<Pod> pods = api.pods().inAnyNamespace().list().getItems();
            assertThat(pods).hasSize(lab.pods().size());
            for (LabStatus.Pod p : lab.pods()) {
                Pod pod = api.pods().inNamespace(p.namespace()).withName(p.name()).get();
                assertThat(pod.getStatus().getPodIP()).isEqualTo(p.ip());
                assertThat(pod.getMetadata().getUid()).isEqualTo(p.uid());
                assertThat(pod.getStatus().getHostIP()).isEqualTo("10.244.0.1");
                assertThat(pod.getSpec().getNodeName()).isEqualTo(p.node());
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                for (LabStatus.Container c : p.containers()) {
                    ContainerStatus cs = pod.getStatus().getContainerStatuses().stream()
                            .filter(s -> s.getName().equals(c.name())).findFirst().orElseThrow();
                    assertThat(cs.getContainerID()).isEqualTo("containerd://" + c.id());
                    BuiltImage img = layout.get(c.image());
                    assertThat(img).as("image " + c.image() + " in the OCI layout").isNotNull();
                    assertThat(cs.getImageID()).isEqualTo(img.repository() + "@" + c.imageDigest());
                    assertThat(img.digest()).isEqualTo(c.imageDigest());
                    assertThat(OciLayout.digestOf(oci.blobPath(c.imageDigest()))).isEqualTo(c.imageDigest());
                    assertThat(pod.getSpec().getContainers()).anySatisfy(sc -> assertThat(sc.getImage()).isEqualTo(c.image()));
                }
                OwnerReference owner = pod.getMetadata().getOwnerReferences().getFirst();
                if (p.workloadKind().equals("Deployment")) {
                    var rs = api.apps().replicaSets().inNamespace(p.namespace()).withName(owner.getName()).get();
                    assertThat(rs.getMetadata().getUid()).isEqualTo(owner.getUid());
                    var d = api.apps().deployments().inNamespace(p.namespace()).withName(p.workload()).get();
                    assertThat(rs.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(d.getMetadata().getUid());
                } else {
                    assertThat(owner.getKind()).isEqualTo("StatefulSet");
                    var s = api.apps().statefulSets().inNamespace(p.namespace()).withName(p.workload()).get();
                    assertThat(s.getMetadata().getUid()).isEqualTo(owner.getUid());
                }
            }
            var cache = api.discovery().v1().endpointSlices().inNamespace("shop-data")
                    .withLabel("kubernetes.io/service-name", "cache").list().getItems().getFirst();
            assertThat(cache.getEndpoints().getFirst().getAddresses()).containsExactly(lab.pod("shop-data", "cache").ip());
            assertThat(cache.getEndpoints().getFirst().getTargetRef().getUid()).isEqualTo(lab.pod("shop-data", "cache").uid());
            assertThat(api.nodes().withName("vigil-node").get().getStatus().getAddresses())
                    .anySatisfy(a -> assertThat(a.getAddress()).isEqualTo("10.244.0.1"));
            assertThat(api.namespaces().list().getItems()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(api.rbac().clusterRoleBindings().withName("loadgen-cluster-admin").get().getRoleRef().getName())
                    .isEqualTo("cluster-admin");
        }
    }

    @Test
    @Order(3)
    void podsTalkHttpRedisPostgresqlAndDnsWithRealClients() {
        ExecResult page = exec("loadgen", "loadgen", "web", "curl", "-sf", "-m", "10",
                "http://frontend.shop-web.svc.cluster.local/cgi-bin/products");
        assertThat(page.stdout()).as(page.stderr()).contains("<h1>Products</h1>").contains("\"name\":\"lantern\"");
        ExecResult redis = exec("loadgen", "loadgen", "web", "redis-cli", "-h", "cache.shop-data.svc.cluster.local", "PING");
        assertThat(redis.stdout().strip()).as(redis.stderr()).isEqualTo("PONG");
        ExecResult pg = exec("shop-api", "api", null, "sh", "-c", "PGPASSWORD=$(cat /etc/shop/db/password) psql -h "
                + "postgres.shop-data.svc.cluster.local -U shop -d shop -Atc 'SELECT count(*) FROM products'");
        assertThat(pg.stdout().strip()).as(pg.stderr()).isEqualTo("4");
        ExecResult dns = exec("loadgen", "loadgen", "dns", "nslookup", "api.shop-api.svc.cluster.local");
        assertThat(dns.stdout()).as(dns.stderr()).contains("10.96.20.10");
        ExecResult internet = exec("loadgen", "loadgen", "dns", "nslookup", "updates.example.com");
        assertThat(internet.stdout()).contains("203.0.113.20");
        ExecResult unknown = exec("loadgen", "loadgen", "dns", "nslookup", "nothing.shop-web.svc.cluster.local");
        assertThat(unknown.exitCode()).isNotZero();
        ExecResult tls = exec("loadgen", "loadgen", "tls", "sh", "-c",
                "echo | openssl s_client -connect updates.example.com:443 -servername updates.example.com 2>&1");
        assertThat(tls.stdout()).contains("CN = updates.example.com");
    }

    @Test
    @Order(4)
    void podsReachTheKubernetesApiOverTlsWithTheirToken() {
        String sa = LabRuntime.SA_MOUNT;
        ExecResult r = exec("loadgen", "loadgen", "kube", "sh", "-c", "curl -sf --cacert " + sa + "/ca.crt -H \"Authorization: Bearer $(cat "
                + sa + "/token)\" https://kubernetes.default.svc/api/v1/namespaces/loadgen/pods");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("\"kind\":\"PodList\"").contains(lab.pod("loadgen", "loadgen").name());
    }

    @Test
    @Order(5)
    void nothingRoutesOutsideTheLab() throws Exception {
        for (LabStatus.Pod pod : lab.pods()) {
            ExecResult routes = exec(pod.namespace(), pod.workload(), null, "ip", "route");
            assertThat(routes.stdout()).as(pod.name()).doesNotContain("default")
                    .contains("10.244.0.0/16", "10.96.0.0/12", "203.0.113.0/24");
            assertThat(exec(pod.namespace(), pod.workload(), null, "ip", "-6", "route").stdout()).doesNotContain("default");
            long start = System.nanoTime();
            ExecResult nc = exec(pod.namespace(), pod.workload(), null, "nc", "-w", "2", "192.0.2.1", "80");
            assertThat(nc.exitCode()).isNotZero();
            assertThat(nc.stderr()).as(pod.name()).contains("Network is unreachable");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThatThrownBy(() -> Netns.call(pod.netns(), () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("192.0.2.1", 443), 2000);
                }
                return null;
            })).isInstanceOfAny(SocketException.class, ConnectException.class).hasMessageContaining("Network is unreachable");
        }
        ExecResult ping = exec("shop-web", "frontend", null, "ping", "-c", "1", "-W", "1", "192.0.2.1");
        assertThat(ping.stderr()).contains("Network is unreachable");
        for (String ns : Netns.existing()) {
            assertThat(Command.of("ip", "-n", ns, "route").run().stdout()).as(ns).doesNotContain("default");
        }
        assertThat(Command.of("ip", "-4", "addr", "show", "dev", Netns.BRIDGE).run().stdout()).doesNotContain("inet ");
    }

    @Test
    @Order(6)
    void serviceAccountFilesAreMountedReadOnly() {
        String sa = LabRuntime.SA_MOUNT;
        ExecResult ns = exec("shop-api", "api", null, "cat", sa + "/namespace");
        assertThat(ns.stdout()).isEqualTo("shop-api");
        ExecResult ca = exec("shop-api", "api", null, "cat", sa + "/ca.crt");
        assertThat(ca.stdout()).startsWith("-----BEGIN CERTIFICATE-----");
        String token = exec("shop-api", "api", null, "cat", sa + "/token").stdout();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"system:serviceaccount:shop-api:api\"").contains(lab.pod("shop-api", "api").uid());
        ExecResult write = exec("shop-api", "api", null, "touch", sa + "/planted");
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
    }

    @Test
    @Order(7)
    void kubectlListsThePods() {
        Command.Result r = Command.of("kubectl", "--kubeconfig", lab.kubeconfig(), "get", "pods", "-A", "-o", "wide").run();
        for (LabStatus.Pod p : lab.pods()) {
            assertThat(r.stdout()).containsPattern(p.namespace() + "\\s+" + p.name() + "\\s+" + p.containers().size() + "/"
                    + p.containers().size() + "\\s+Running\\s+0\\s+\\S+\\s+" + p.ip().replace(".", "\\.") + "\\s+vigil-node");
        }
    }

    @Test
    @Order(8)
    void aSecondLabWaitsForTheLockAndSaysWhy() {
        List<String> heard = new ArrayList<>();
        LabLock lock = LabLock.acquire("test", Duration.ofMillis(600), () -> false, heard::add);
        assertThat(lock).isNull();
        assertThat(heard).singleElement().asString().contains("waiting for the lab lock /run/vigil-lab/lock, held by pid")
                .contains("lab at " + Lab.DEFAULT_DIR).contains("sudo ./vigil lab down");
    }

    @Test
    @Order(9)
    void statusJsonHasTheDocumentedShape() {
        Map<String, Object> json = Lab.status().orElseThrow().toJson();
        assertThat(json).containsOnlyKeys("kubeconfig", "pods");
        @SuppressWarnings("unchecked")
        Map<String, Object> pod = ((List<Map<String, Object>>) json.get("pods")).getFirst();
        assertThat(pod).containsOnlyKeys("namespace", "name", "ip", "netns", "node", "containers");
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).getFirst();
        assertThat(c).containsOnlyKeys("name", "id", "image", "imageDigest", "pid");
    }

    @Test
    @Order(10)
    void downLeavesNothingBehind() throws Exception {
        List<Long> pids = lab.pods().stream().flatMap(p -> p.containers().stream()).map(LabStatus.Container::pid).toList();
        List<String> uids = lab.pods().stream().map(LabStatus.Pod::uid).toList();
        long daemon = LabState.read().daemonPid;
        long start = System.nanoTime();
        Lab.down(m -> { });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertClean(pids, uids, daemon);
        lab = null;
    }

    @Test
    @Order(11)
    void aSecondLabWaitsForTheFirstAndSweepsItWhenItsDaemonWasKilled() throws Exception {
        LabStatus first = Lab.upOwned(Lab.DEFAULT_DIR, m -> { });
        List<Long> firstPids = first.pods().stream().flatMap(p -> p.containers().stream()).map(LabStatus.Container::pid).toList();
        List<String> firstUids = first.pods().stream().map(LabStatus.Pod::uid).toList();
        long firstDaemon = LabState.read().daemonPid;

        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CompletableFuture<LabStatus> second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Lab.upOwned(Lab.DEFAULT_DIR, heard::add));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (heard.stream().noneMatch(m -> m.startsWith("waiting for the lab lock")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(heard).anySatisfy(m -> assertThat(m).contains("held by pid " + firstDaemon));
        assertThat(second).isNotDone();

        ProcessHandle.of(firstDaemon).orElseThrow().destroyForcibly();
        LabStatus now = second.get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(heard).anySatisfy(m -> assertThat(m).startsWith("cleaning a previous lab"));
        assertThat(firstPids).allSatisfy(pid -> assertThat(Sweeper.running(pid)).as("first lab's pid " + pid).isFalse());
        assertThat(Cgroups.existingPods(firstUids)).isEmpty();
        assertThat(now.pods()).hasSize(first.pods().size());
        assertThat(Lab.exec("shop-data", "cache", null, "redis-cli", "PING").stdout().strip()).isEqualTo("PONG");

        List<Long> pids = now.pods().stream().flatMap(p -> p.containers().stream()).map(LabStatus.Container::pid).toList();
        List<String> uids = now.pods().stream().map(LabStatus.Pod::uid).toList();
        long daemon = LabState.read().daemonPid;
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        while (Sweeper.running(daemon)) {
            Thread.sleep(20);
        }
        assertThat(Netns.existing()).as("a killed daemon leaves its lab").isNotEmpty();
        Lab.down(m -> { });
        assertClean(pids, uids, daemon);
    }

    private static void assertClean(List<Long> containerPids, List<String> podUids, long daemonPid) throws IOException {
        assertThat(Netns.existing()).isEmpty();
        assertThat(Netns.existingLinks()).isEmpty();
        assertThat(Mounts.mounted()).isEmpty();
        assertThat(Cgroups.existingPods(podUids)).isEmpty();
        assertThat(Runc.list()).isEmpty();
        assertThat(Runc.ROOT).doesNotExist();
        assertThat(containerPids).allSatisfy(pid -> assertThat(Sweeper.running(pid)).as("container pid " + pid + " runs").isFalse());
        assertThat(Sweeper.running(daemonPid)).as("daemon runs").isFalse();
        String dir = Lab.DEFAULT_DIR.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            assertThat(all.filter(p -> p.pid() != ProcessHandle.current().pid() && Sweeper.running(p.pid()))
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir + "/")).orElse(false))
                    .map(ProcessHandle::pid).toList()).as("processes naming the lab directory").isEmpty();
        }
        assertThat(LabLock.held()).isFalse();
        assertThat(Path.of(LabState.FILE)).doesNotExist();
        assertThat(Lab.DEFAULT_DIR).doesNotExist();
        assertThat(Lab.status()).isEmpty();
    }

    private static KubernetesClient client() throws IOException {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(lab.kubeconfig())))).build();
    }
}
