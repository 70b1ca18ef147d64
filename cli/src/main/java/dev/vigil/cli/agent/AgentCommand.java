package dev.vigil.cli.agent;

import dev.vigil.agent.Agent;
import dev.vigil.agent.AgentConfig;
import dev.vigil.agent.AgentException;
import dev.vigil.agent.AgentListener;
import dev.vigil.cli.UserError;
import dev.vigil.cli.Vigil;
import dev.vigil.cli.net.NetworkOptions;
import dev.vigil.cli.policy.StateDirOption;
import dev.vigil.detect.baseline.Mode;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil agent}: the node agent. Captures every pod of the node, runs the host sensors, names
 * what it sees through the Kubernetes API, evaluates rules, detectors and per-workload baselines, and
 * writes alerts as JSON lines (Falco's keys and Vigil's); in protect mode it also stops what it
 * detects. Runs until SIGTERM or SIGINT (or {@code --duration}), then shuts down cleanly.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the node agent: capture and host sensors, identities, rules, detectors and baselines, "
                + "alerts as JSON lines; protect mode stops what it detects (needs root).")
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig of the cluster (default: $KUBECONFIG, ~/.kube/config, then the pod's service "
                    + "account; without any, containers are named by id only).")
    Path kubeconfig;

    @Option(names = "--alerts", paramLabel = "FILE|-", defaultValue = "-",
            description = "Write alerts as JSON lines to FILE (appended), or - for standard output (default: -).")
    String alerts;

    @Option(names = "--events", paramLabel = "FILE|-",
            description = "Also write every network and host record (and enforcement audits, agent_stats) to FILE, "
                    + "for investigations (default: none).")
    String events;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "monitor",
            description = "What workloads become after learning: learn (keep learning), monitor (alert on what is new) "
                    + "or protect (alert and stop it) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--learn-for", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long a new workload learns before it is promoted to --mode, e.g. 30s, 10m, 1h; 0 starts "
                    + "new workloads in --mode at once (default: ${DEFAULT-VALUE}).")
    String learnFor;

    @Option(names = "--quiet-for", paramLabel = "DURATION",
            description = "How long a learning workload must have learned nothing new before it is promoted "
                    + "(default: half of --learn-for).")
    String quietFor;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = StateDirOption.DEFAULT,
            description = "Where baselines and modes persist, in its policies/ folder (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "A Falco-format rule file loaded after Vigil's default rules (repeatable, in order).")
    List<Path> rules = List.of();

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "The node's name in alerts (default: $NODE_NAME, else this machine's host name).")
    String nodeName;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "30s",
            description = "How often a stats line goes to stderr (and agent_stats to --events); 0: only at the end "
                    + "(default: ${DEFAULT-VALUE}).")
    String statsInterval;

    @Option(names = "--fold-window", paramLabel = "DURATION", defaultValue = "60s",
            description = "Repeats of an alert (same rule, workload, peer, subject) within this window are folded into "
                    + "one summary with a count (default: ${DEFAULT-VALUE}).")
    String foldWindow;

    @Option(names = "--ftrace-instance", paramLabel = "NAME", defaultValue = AgentConfig.FTRACE_INSTANCE,
            description = "Name of the agent's private ftrace instance (default: ${DEFAULT-VALUE}).")
    String ftraceInstance;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long (default: until SIGTERM or SIGINT).")
    String duration;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        AgentConfig config = config();
        Duration limit = duration == null ? null : NetworkOptions.duration("--duration", duration);
        AgentListener log = new AgentListener() {
            @Override
            public void log(String line) {
                synchronized (err) {
                    err.println("vigil agent: " + line);
                    err.flush();
                }
            }
        };
        Agent agent;
        try {
            agent = Agent.start(config, log, System.out);
        } catch (AgentException e) {
            throw new UserError(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "vigil-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.log("running on node " + config.nodeName() + "; alerts to " + (alerts.equals("-") ? "standard output" : alerts)
                + (events != null ? ", events to " + events : "") + "; stop with Ctrl-C or SIGTERM");
        if (limit == null) {
            stopped.await();
            return 0;
        }
        if (!stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                stopped.await();
                return 0;
            }
            agent.close();
        }
        return 0;
    }

    AgentConfig config() {
        Mode target = Mode.parse(mode);
        if (target == null) {
            throw new UserError("--mode: '" + mode + "' is not one of learn, monitor, protect", Vigil.EXIT_USAGE);
        }
        if ("-".equals(alerts) && "-".equals(events)) {
            throw new UserError("--alerts and --events cannot both be standard output (their lines would interleave):"
                    + " give --events a file", Vigil.EXIT_USAGE);
        }
        Duration learn = NetworkOptions.duration("--learn-for", learnFor);
        Duration quiet = quietFor != null ? NetworkOptions.duration("--quiet-for", quietFor) : learn.dividedBy(2);
        String node = nodeName != null ? nodeName : defaultNodeName();
        try {
            return AgentConfig.defaults(node)
                    .withCluster(kubeconfig, kubeconfig != null)
                    .withOutputs(alerts, events)
                    .withLearning(target, learn, quiet)
                    .withStateDir(stateDir)
                    .withRuleFiles(rules)
                    .withStatsInterval(NetworkOptions.duration("--stats-interval", statsInterval))
                    .withFoldWindow(NetworkOptions.duration("--fold-window", foldWindow))
                    .withHost(AgentConfig.defaults(node).host().withInstance(ftraceInstance));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), Vigil.EXIT_USAGE);
        }
    }

    static String defaultNodeName() {
        String env = System.getenv("NODE_NAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
