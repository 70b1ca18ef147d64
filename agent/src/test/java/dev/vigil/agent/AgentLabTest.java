package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.pods.PodNetwork;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.testkit.Requirements;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent in this JVM against the lab: pods found generically, records attributed, host detections timed. */
class AgentLabTest {

    static LabStatus lab;
    static Agent agent;
    static Recorder heard = new Recorder(true);
    static Path state;

    @BeforeAll
    static void start() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "nft", "nsenter");
        lab = Lab.shared();
        state = Files.createTempDirectory("vigil-agent-test");
        AgentConfig config = AgentConfig.defaults("vigil-node")
                .withCluster(Path.of(lab.kubeconfig()), true)
                .withOutputs(null, null)
                .withLearning(Mode.MONITOR, Duration.ofSeconds(20), Duration.ofSeconds(5))
                .withStateDir(state)
                .withStatsInterval(Duration.ZERO)
                .withHost(AgentConfig.defaults("x").host().withInstance("vigil-agent-test-" + ProcessHandle.current().pid()));
        agent = Agent.start(config, heard, OutputStream.nullOutputStream());
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void followsEveryLabPodOnTheHostEndOfItsVeth() throws Exception {
        Map<String, String> expected = lab.pods().stream()
                .collect(Collectors.toMap(p -> p.namespace() + "/" + p.name(), LabStatus.Pod::hostVeth));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> found = Map.of();
        while (System.nanoTime() < end) {
            found = agent.pods().stream().filter(p -> p.identity() != null)
                    .collect(Collectors.toMap(PodNetwork::label, PodNetwork::iface, (a, b) -> a));
            if (found.equals(expected)) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void tokenReadsInAContainerAreAttributedWithinTwoHundredMilliseconds() throws Exception {
        LabStatus.Pod api = lab.pod("shop-api", "api");
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int from = heard.raised.size();
            Lab.exec("shop-api", "api", "api", "cat", "/var/run/secrets/kubernetes.io/serviceaccount/token");
            Recorder.Heard h = heard.await(from, a -> a.rule().equals("Service account token read"), Duration.ofSeconds(5));
            assertThat(h).as("alert for read %d", i).isNotNull();
            assertThat(h.alert().outputFields()).containsEntry("k8s.ns.name", "shop-api")
                    .containsEntry("k8s.pod.name", api.name()).containsEntry("container.name", "api");
            assertThat(h.alert().workload().name()).isEqualTo("api");
            latencies.add(h.latencyNanos());
        }
        latencies.sort(null);
        System.err.println("token read latencies (ms): " + latencies.stream().map(l -> String.format("%.1f", l / 1e6)).toList());
        assertThat(latencies.get(latencies.size() - 1)).as("worst of 20").isLessThan(200_000_000L);
    }
}
