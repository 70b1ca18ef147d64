package dev.vigil.cli.demo;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.agent.AgentException;
import dev.vigil.agent.AgentListener;
import dev.vigil.agent.AgentStats;
import dev.vigil.cli.UserError;
import dev.vigil.cli.Vigil;
import dev.vigil.cli.net.NetworkOptions;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabException;
import dev.vigil.lab.LabStatus;
import dev.vigil.lab.attack.AttackListener;
import dev.vigil.lab.attack.Scenario;
import dev.vigil.lab.attack.ScenarioResult;
import dev.vigil.lab.attack.Scenarios;
import dev.vigil.lab.attack.Source;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the tour. Brings the lab up, prints the inventory read back from its API server,
 * starts the node agent in this process, lets it learn the lab's normal behaviour for a few seconds,
 * switches every workload to monitor mode, then performs every attack scenario of
 * {@code vigil lab attack} while each alert is printed as it fires, and ends with a summary table
 * (scenario, expected rule, detected, latency, attribution). With {@code --once} the lab goes down and
 * the exit code says whether every scenario was detected; without it the lab and the agent keep
 * running, alerts keep printing, until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The tour: lab up, inventory, the agent learns then monitors, every attack scenario with its alerts"
                + " as they fire, a summary of detections and latencies; runs until Ctrl-C (needs root).")
public final class DemoCommand implements Callable<Integer> {

    /** How long after a scenario ended its expected alerts are waited for. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** Pause between scenarios, so their alerts do not blur into each other. */
    static final Duration PAUSE = Duration.ofSeconds(1);

    @Option(names = "--once", description = "One pass, then take the lab down; exit 1 if a scenario went undetected.")
    boolean once;

    @Option(names = "--learn", paramLabel = "DURATION", defaultValue = "40s",
            description = "How long the agent learns the lab's normal behaviour before monitoring (default: ${DEFAULT-VALUE}).")
    String learn;

    @Option(names = "--traffic-window", paramLabel = "SECONDS", defaultValue = "10",
            description = "How often the live traffic count is printed after the tour (default: ${DEFAULT-VALUE}).")
    int trafficWindowSeconds;

    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default: ${DEFAULT-VALUE}).")
    Path dir = Lab.DEFAULT_DIR;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's sections printed before the agent starts. */
    static List<DemoSection> sections() {
        return List.of(new InventorySection());
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration learning = NetworkOptions.duration("--learn", learn);
        if (learning.isNegative() || learning.isZero()) {
            throw new UserError("--learn: " + learn + " must be positive, e.g. 40s", Vigil.EXIT_USAGE);
        }
        Path state = Files.createTempDirectory("vigil-demo-state");
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Agent> running = new AtomicReference<>();
        Thread teardown = new Thread(() -> {
            Agent a = running.getAndSet(null);
            if (a != null) {
                a.close();
            }
            err.println("vigil demo: taking the lab down");
            err.flush();
            try {
                Lab.down(m -> { });
            } finally {
                deleteTree(state);
                stopped.countDown();
            }
        }, "vigil-demo-down");
        LabStatus lab;
        try {
            lab = Lab.upOwned(dir, m -> progress(err, "vigil lab: " + m));
        } catch (LabException e) {
            throw new UserError(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(teardown);
        try (KubernetesClient api = client(lab)) {
            DemoSection.Context context = new DemoSection.Context(lab, api);
            for (DemoSection section : sections()) {
                out.println("== " + section.title() + " ==");
                section.render(context, out);
                out.println();
                out.flush();
            }
        }

        RaisedAlerts raised = new RaisedAlerts();
        Agent agent = startAgent(lab, state, raised, out, err);
        running.set(agent);
        TrafficCount traffic = new TrafficCount(lab, line -> { });
        long started = System.nanoTime();
        progress(err, "vigil demo: the agent learns the lab's normal behaviour for " + learning.toSeconds() + " s");
        if (stopped.await(learning.toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        out.println("== Traffic while learning ==");
        traffic.print(out, (System.nanoTime() - started) / 1e9);
        out.println();
        List<WorkloadRef> workloads = agent.baselines().workloads();
        for (WorkloadRef w : workloads) {
            agent.setMode(w, Mode.MONITOR);
        }
        out.println("== Detections (" + workloads.size() + " workloads in monitor mode; alerts as they fire) ==");
        out.flush();

        List<DetectionTour.Row> rows = tour(lab, raised, out);
        out.println();
        out.println("== Summary ==");
        DetectionTour.print(out, rows);
        AgentStats stats = agent.stats();
        out.printf(Locale.ROOT, "agent: %d pods captured, %,d packets, %,d host events, %,d alerts raised, %,d written,"
                        + " %,d lost; CPU %.1f s over %.0f s (%.1f%% of a core), RSS %,d MiB%n", stats.interfaces(), stats.packets(),
                stats.hostEvents(), stats.alertsRaised(), stats.alertsWritten(), stats.lost(), stats.cpuSeconds(),
                stats.uptimeSeconds(), 100 * stats.cpuSeconds() / Math.max(1, stats.uptimeSeconds()), stats.rssBytes() >> 20);
        out.flush();
        boolean allDetected = rows.stream().allMatch(DetectionTour.Row::detected);

        if (once) {
            traffic.close();
            Runtime.getRuntime().removeShutdownHook(teardown);
            teardown.run();
            return allDetected ? 0 : Vigil.EXIT_FAILURE;
        }
        progress(err, "vigil demo: the lab and the agent keep running (kubeconfig " + lab.kubeconfig()
                + "); alerts keep printing; press Ctrl-C to stop");
        while (!stopped.await(trafficWindowSeconds, TimeUnit.SECONDS)) {
            traffic.print(out, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    private static Agent startAgent(LabStatus lab, Path state, RaisedAlerts raised, PrintWriter out, PrintWriter err) {
        AgentListener listener = new AgentListener() {
            @Override
            public void raised(Alert alert) {
                raised.raised(alert);
            }

            @Override
            public void written(Alert alert) {
                synchronized (out) {
                    out.println("  " + AlertLine.of(alert));
                    out.flush();
                }
            }

            @Override
            public void log(String line) {
                if (!line.startsWith("workload ") && !line.startsWith("stats: ")) {
                    progress(err, "vigil agent: " + line);
                }
            }
        };
        AgentConfig config = AgentConfig.defaults("vigil-node")
                .withCluster(Path.of(lab.kubeconfig()), true)
                .withOutputs(null, null)
                .withLearning(Mode.MONITOR, Duration.ofHours(1), Duration.ofMinutes(30))
                .withStateDir(state)
                .withStatsInterval(Duration.ZERO);
        try {
            return Agent.start(config, listener, OutputStream.nullOutputStream());
        } catch (AgentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private List<DetectionTour.Row> tour(LabStatus lab, RaisedAlerts raised, PrintWriter out) throws InterruptedException {
        DetectionTour tour = new DetectionTour(lab, raised, GRACE);
        List<DetectionTour.Row> rows = new ArrayList<>();
        AttackListener quiet = new AttackListener() {
            @Override
            public void scenarioStarting(Scenario scenario, Source source) {
                synchronized (out) {
                    out.println("-- " + scenario.name() + " from " + source + ": " + scenario.description());
                    out.flush();
                }
            }

            @Override
            public void scenarioDone(ScenarioResult result) {
                if (!result.performed()) {
                    synchronized (out) {
                        out.println("  (the scenario could not be performed: " + result.failure() + ")");
                        out.flush();
                    }
                }
            }
        };
        for (Scenario s : Scenarios.all()) {
            Source source;
            try {
                source = s.defaultSource().resolve(lab);
            } catch (RuntimeException e) {
                out.println("-- " + s.name() + ": no source pod " + s.defaultSource() + " (" + e.getMessage() + ")");
                continue;
            }
            rows.addAll(tour.run(s, source, quiet));
            Thread.sleep(PAUSE.toMillis());
        }
        return rows;
    }

    private static void progress(PrintWriter err, String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    private static KubernetesClient client(LabStatus lab) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(Path.of(lab.kubeconfig())))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab kubeconfig " + lab.kubeconfig(), e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory; what is left goes with the next reboot
        }
    }
}
