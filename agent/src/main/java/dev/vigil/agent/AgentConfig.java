package dev.vigil.agent;

import dev.vigil.detect.alert.AlertFolder;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.detect.detector.NetworkDetectorConfig;
import dev.vigil.host.watch.HostSensor;
import dev.vigil.net.capture.CaptureOptions;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.scan.ScanConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the node agent runs with; validated as a whole at construction, immutable.
 *
 * @param kubeconfig     the cluster's kubeconfig; null: kubectl's search, then the pod's service account
 * @param requireCluster fail when the API server cannot be reached (else run without identities and say so)
 * @param nodeName       the node's name, written as the alerts' {@code hostname}
 * @param alerts         where alerts go: {@code -} for standard output, a file, or null for nowhere
 * @param events         where every network and host record goes (a file, {@code -}), or null
 * @param mode           the mode workloads reach after learning: {@link Mode#LEARN} keeps them learning
 * @param learnFor       how long a new workload learns before it is promoted to {@code mode}; zero
 *                       starts new workloads in {@code mode} at once
 * @param quietFor       how long a learning workload must have learned nothing new to be promoted
 * @param stateDir       where baselines and modes persist ({@code policies/} inside)
 * @param ruleFiles      Falco-format rule files loaded after Vigil's defaults, in order
 * @param statsInterval  how often a stats line is written (stderr and {@code agent_stats} events); zero: only at the end
 * @param foldWindow     repeats of an alert within this window are folded into a count
 * @param capture        libpcap settings of each pod's capture
 * @param flows          flow table limits and timeouts of each pod's pipeline
 * @param scan           scan thresholds, or null to turn scan detection off
 * @param host           which host sensors run
 * @param network        the built-in network detectors' settings
 * @param queueCapacity  capacity of each of the agent's queues (network records, events, alerts)
 * @param podScan        how often {@code /proc} is scanned for pods that came or went
 */
public record AgentConfig(
        Path kubeconfig,
        boolean requireCluster,
        String nodeName,
        String alerts,
        String events,
        Mode mode,
        Duration learnFor,
        Duration quietFor,
        Path stateDir,
        List<Path> ruleFiles,
        Duration statsInterval,
        Duration foldWindow,
        CaptureOptions capture,
        FlowConfig flows,
        ScanConfig scan,
        HostSensor.Config host,
        NetworkDetectorConfig network,
        int queueCapacity,
        Duration podScan) {

    /** The agent's private ftrace instance, apart from {@code vigil host watch}'s. */
    public static final String FTRACE_INSTANCE = "vigil-agent";
    /** Default state directory. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/vigil");
    /** Default learning period. */
    public static final Duration DEFAULT_LEARN_FOR = Duration.ofHours(1);
    /** Default capacity of each agent queue. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    /** Kernel capture buffer per pod: pods are many and mostly quiet, so less than a lone capture's 32 MiB. */
    public static final int DEFAULT_CAPTURE_BUFFER = 4 * 1024 * 1024;
    /**
     * How long a closed TCP connection lingers before its record is written: Zeek's 5 s absorbs late
     * packets of a finished connection, but delays every detection that needs the connection's record
     * (a rejected probe of a port scan, a cleartext request). On a node's veths a connection's last
     * packets follow within microseconds, and the clock is the packets' own.
     */
    public static final Duration DEFAULT_TCP_LINGER = Duration.ofMillis(250);
    /**
     * Idle time after which a UDP flow's record is written: Zeek waits a minute, but the agent's
     * baselines learn peers from these records and DNS lookups are one-shot flows, so a minute would
     * keep every lookup out of a short learning period. Long enough for a slow answer to stay in its flow.
     */
    public static final Duration DEFAULT_UDP_IDLE = Duration.ofSeconds(10);
    /** Idle time after which an ICMP flow's record is written: a ping's reply comes at once; sweeps are judged on these. */
    public static final Duration DEFAULT_ICMP_IDLE = Duration.ofSeconds(1);

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(stateDir, "stateDir");
        ruleFiles = List.copyOf(ruleFiles);
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("node name: must not be blank; pass --node-name or set NODE_NAME");
        }
        if (learnFor.isNegative() || quietFor.isNegative()) {
            throw new IllegalArgumentException("learning: --learn-for " + learnFor + " and --quiet-for " + quietFor
                    + " must not be negative");
        }
        if (!learnFor.isZero() && mode != Mode.LEARN && quietFor.isZero()) {
            throw new IllegalArgumentException("learning: --quiet-for must be positive when workloads are promoted after "
                    + "--learn-for " + learnFor + " (e.g. 30s)");
        }
        if (statsInterval.isNegative()) {
            throw new IllegalArgumentException("stats interval: " + statsInterval + " must not be negative");
        }
        if (foldWindow.isNegative() || foldWindow.isZero()) {
            throw new IllegalArgumentException("fold window: " + foldWindow + " must be positive (e.g. 60s)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity: " + queueCapacity + " must be at least 1");
        }
        if (podScan.isNegative() || podScan.isZero()) {
            throw new IllegalArgumentException("pod scan interval: " + podScan + " must be positive");
        }
    }

    /** An agent named {@code nodeName} with the defaults: alerts to stdout, monitor after an hour of learning. */
    public static AgentConfig defaults(String nodeName) {
        FlowConfig flows = FlowConfig.defaults();
        flows = new FlowConfig(flows.maxFlows(), flows.tcpIdle(), DEFAULT_UDP_IDLE, DEFAULT_ICMP_IDLE, flows.tcpAttempt(),
                DEFAULT_TCP_LINGER, flows.activeTimeout(), flows.reassemblyBytes(), flows.uidSeed());
        return new AgentConfig(null, false, nodeName, "-", null, Mode.MONITOR, DEFAULT_LEARN_FOR, DEFAULT_LEARN_FOR.dividedBy(2),
                DEFAULT_STATE_DIR, List.of(), Duration.ofSeconds(30), AlertFolder.DEFAULT_WINDOW,
                CaptureOptions.defaults().withBufferBytes(DEFAULT_CAPTURE_BUFFER), flows, ScanConfig.defaults(),
                HostSensor.Config.DEFAULT.withInstance(FTRACE_INSTANCE), NetworkDetectorConfig.defaults(), DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(2));
    }

    public AgentConfig withCluster(Path file, boolean required) {
        return new AgentConfig(file, required, nodeName, alerts, events, mode, learnFor, quietFor, stateDir, ruleFiles,
                statsInterval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    /** Alerts and events targets ({@code -}, a file, or null). */
    public AgentConfig withOutputs(String alertsTarget, String eventsTarget) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alertsTarget, eventsTarget, mode, learnFor, quietFor,
                stateDir, ruleFiles, statsInterval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withLearning(Mode target, Duration learn, Duration quiet) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, target, learn, quiet, stateDir,
                ruleFiles, statsInterval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withStateDir(Path dir) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, dir,
                ruleFiles, statsInterval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withRuleFiles(List<Path> files) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, stateDir,
                files, statsInterval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withStatsInterval(Duration interval) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, stateDir,
                ruleFiles, interval, foldWindow, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withFoldWindow(Duration window) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, stateDir,
                ruleFiles, statsInterval, window, capture, flows, scan, host, network, queueCapacity, podScan);
    }

    public AgentConfig withHost(HostSensor.Config sensors) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, stateDir,
                ruleFiles, statsInterval, foldWindow, capture, flows, scan, sensors, network, queueCapacity, podScan);
    }

    public AgentConfig withNetwork(CaptureOptions captureOptions, FlowConfig flowConfig, ScanConfig scanConfig) {
        return new AgentConfig(kubeconfig, requireCluster, nodeName, alerts, events, mode, learnFor, quietFor, stateDir,
                ruleFiles, statsInterval, foldWindow, captureOptions, flowConfig, scanConfig, host, network, queueCapacity,
                podScan);
    }
}
