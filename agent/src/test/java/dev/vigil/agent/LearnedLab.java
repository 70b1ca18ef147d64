package dev.vigil.agent;

import dev.vigil.detect.baseline.Mode;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.testkit.Requirements;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One agent for the acceptance tests of this JVM, on the shared lab: it learns the lab's benign
 * traffic for {@link #LEARN}, then every workload is switched to monitor mode. Started by the first
 * test class that asks; stopped when the JVM ends.
 */
final class LearnedLab {

    /**
     * Long enough to see every benign loop of the lab at least twice (web every 3 s, DNS 5 s, the
     * internet names 10 s, the Kubernetes API 30 s, cache misses every 10 s) and the UDP flow records of
     * its lookups, which are written 10 s after their last packet.
     */
    static final Duration LEARN = Duration.ofSeconds(75);

    static LabStatus lab;
    static Agent agent;
    static final Recorder heard = new Recorder(false);

    private LearnedLab() {
    }

    static synchronized void start() throws Exception {
        if (agent != null) {
            return;
        }
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "nft", "nsenter");
        lab = Lab.shared();
        Path state = Files.createTempDirectory("vigil-agent-acceptance");
        AgentConfig config = AgentConfig.defaults("vigil-node")
                .withCluster(Path.of(lab.kubeconfig()), true)
                .withOutputs(null, state.resolve("events.jsonl").toString())
                .withLearning(Mode.MONITOR, Duration.ofHours(1), Duration.ofMinutes(30))
                .withStateDir(state)
                .withStatsInterval(Duration.ofSeconds(30))
                .withHost(AgentConfig.defaults("x").host().withInstance("vigil-agent-test-" + ProcessHandle.current().pid()));
        agent = Agent.start(config, heard, OutputStream.nullOutputStream());
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "vigil-agent-test-stop"));
        System.err.println("acceptance: the agent learns the lab for " + LEARN.toSeconds() + " s; its records are in "
                + state.resolve("events.jsonl"));
        Thread.sleep(LEARN.toMillis());
        for (WorkloadRef w : agent.baselines().workloads()) {
            agent.setMode(w, Mode.MONITOR);
        }
        System.err.println("acceptance: " + agent.baselines().workloads().size() + " workloads in monitor mode");
    }
}
