package dev.vigil.cli.demo;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.agent.AgentListener;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.testkit.Requirements;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One agent in this JVM for the acceptance tests, on the shared lab, as the demo runs it: it learns
 * the lab's benign traffic for {@link #LEARN}, then every workload is switched to monitor mode.
 * Started by the first test that asks; stopped when the JVM ends. Setting the system property
 * {@code vigil.events} writes every record the agent sees to that file (for investigating a failure).
 */
final class LearnedLab {

    /**
     * Long enough to see every benign loop of the lab at least twice (web every 3 s, DNS 5 s, the
     * internet names 10 s, the Kubernetes API 30 s, cache misses every 10 s) and the UDP flow records
     * of its lookups, which are written 10 s after their last packet.
     */
    static final Duration LEARN = Duration.ofSeconds(75);

    static LabStatus lab;
    static Agent agent;
    static Path state;
    static final RaisedAlerts raised = new RaisedAlerts();
    static final List<EnforcementAudit> audits = new CopyOnWriteArrayList<>();

    private LearnedLab() {
    }

    static synchronized void start() throws Exception {
        if (agent != null) {
            return;
        }
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "nft", "nsenter");
        lab = Lab.shared();
        state = Files.createTempDirectory("vigil-agent-acceptance");
        AgentConfig config = AgentConfig.defaults("vigil-node")
                .withCluster(Path.of(lab.kubeconfig()), true)
                .withOutputs(null, System.getProperty("vigil.events"))
                .withLearning(Mode.MONITOR, Duration.ofHours(1), Duration.ofMinutes(30))
                .withStateDir(state)
                .withStatsInterval(Duration.ofSeconds(60))
                .withHost(AgentConfig.defaults("x").host().withInstance("vigil-agent-test-" + ProcessHandle.current().pid()));
        agent = Agent.start(config, new AgentListener() {
            @Override
            public void raised(Alert alert) {
                raised.raised(alert);
            }

            @Override
            public void enforced(EnforcementAudit audit) {
                audits.add(audit);
            }

            @Override
            public void log(String line) {
                if (line.startsWith("stats: ") || line.startsWith("protect: ")) {
                    System.err.println("agent: " + line);
                }
            }
        }, OutputStream.nullOutputStream());
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "vigil-agent-test-stop"));
        System.err.println("acceptance: the agent learns the lab for " + LEARN.toSeconds() + " s");
        Thread.sleep(LEARN.toMillis());
        for (WorkloadRef w : agent.baselines().workloads()) {
            agent.setMode(w, Mode.MONITOR);
        }
        System.err.println("acceptance: " + agent.baselines().workloads().size() + " workloads in monitor mode");
    }
}
