package dev.vigil.agent;

import dev.vigil.agent.cluster.Cluster;
import dev.vigil.agent.detection.Detection;
import dev.vigil.agent.enforce.Enforcer;
import dev.vigil.agent.pods.PodFollower;
import dev.vigil.agent.pods.PodNetwork;
import dev.vigil.agent.pods.ServiceBackends;
import dev.vigil.agent.sink.JsonLinesOutput;
import dev.vigil.detect.baseline.BaselineConfig;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.detect.baseline.PolicyStore;
import dev.vigil.detect.detector.Decision;
import dev.vigil.detect.rules.RuleEngine;
import dev.vigil.detect.rules.RuleFile;
import dev.vigil.detect.rules.RuleMatching;
import dev.vigil.detect.rules.RuleSet;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.host.linux.Native;
import dev.vigil.host.watch.HostSensor;
import dev.vigil.kube.client.KubeAccessException;
import dev.vigil.kube.inventory.InventorySyncException;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.host.SensorStats;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.IdentityFields;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.RecordSink;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.capture.CaptureSession;
import dev.vigil.net.capture.LiveCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node agent: sensors → identity enrichment → detection → sinks, with protect-mode enforcement.
 *
 * <pre>
 * pod veths ── libpcap, one platform thread and {@link Pipeline} per pod ──► [net queue] ──┐ (virtual thread)
 *   (found by {@link PodFollower}; records carry both ends' identities)                     ├─► {@link Detection}
 * proc connector, ftrace, fanotify ── {@link HostSensor} (its own bounded queue) ────────────┘   rules + detectors + baselines
 *                                                                                                 │
 *              [alerts queue] ◄── fold ◄── alerts ◄───────────────────────────────────────────────┤
 *              [enforce queue] ◄── protect decisions ◄────────────────────────────────────────────┘
 *              [events queue] ◄── every record (host, network, enforcement audit, agent_stats)
 * </pre>
 *
 * <p>Every queue is bounded and counts what it drops ({@link BoundedStage}); the host sensor's queue
 * counts its own ({@code host_stats}). A connection between two pods of the node is seen on both
 * pods' veths; its records are kept from the originator's capture only. Pods are followed by their
 * network namespaces, found from container processes, as they come and go.
 *
 * <p>Lifecycle: {@link #start} returns once every sensor runs; {@link #close()} (also on SIGTERM,
 * from the command's shutdown hook) stops capture (flushing open flows as records), closes the host
 * sensors (removing the ftrace instance and fanotify marks), drains the queues, passes on fold
 * summaries, lifts protect-mode blocks, saves baselines and writes a final stats record.
 */
public final class Agent implements AutoCloseable {

    /** How often fold windows are flushed, promotions checked and follow-up work done. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** How often changed baselines are written to the state directory. */
    static final Duration SAVE_INTERVAL = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final AgentListener listener;
    private final long startedNanos = System.nanoTime();
    private final Cluster cluster;
    private final Baselines baselines;
    private final PolicyStore store;
    private final JsonLinesOutput alertsOut;
    private final JsonLinesOutput eventsOut;
    private final BoundedStage<LogRecord> events;
    private final BoundedStage<Alert> alerts;
    private final BoundedStage<Decision> decisions;
    private final BoundedStage<LogRecord> net;
    private final Detection detection;
    private final Enforcer enforcer;
    private final PodFollower follower;
    private final CaptureSession capture;
    private final HostSensor host;
    private final Detection.HostPath hostPath;
    private final LongAdder hostEvents = new LongAdder();
    private final ServiceBackends backends = new ServiceBackends();
    private final java.util.Map<String, Pipeline> pipelines = new java.util.concurrent.ConcurrentHashMap<>();
    private final LongAdder retiredPackets = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SensorStats hostStats;
    private volatile AgentStats lastStats;
    private Thread ticker;

    private Agent(AgentConfig config, AgentListener listener, OutputStream stdout) throws IOException {
        this.config = config;
        this.listener = listener;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            RuleSet rules = loadRules(config.ruleFiles());
            listener.log("rules: " + rules.report().rules().size() + " loaded, " + rules.report().evaluableCount()
                    + " evaluable (" + String.join(", ", rules.report().files()) + ")");
            this.cluster = connect(config, listener);
            opened.add(cluster);
            listener.log("cluster: " + cluster.describe());
            this.baselines = new Baselines(baselineConfig(config));
            this.store = new PolicyStore(config.stateDir());
            long now = nowNanos();
            int loaded;
            try {
                loaded = store.load(baselines, now);
            } catch (IOException e) {
                throw new AgentException("cannot read the policies in " + store.directory() + ": " + e.getMessage()
                        + "; fix or move the file, or start with another --state-dir");
            }
            listener.log("baselines: " + loaded + " workload policies loaded from " + store.directory());
            this.alertsOut = config.alerts() == null ? null : JsonLinesOutput.open(config.alerts(), stdout);
            if (alertsOut != null) {
                opened.add(alertsOut);
            }
            this.eventsOut = config.events() == null ? null : JsonLinesOutput.open(config.events(), stdout);
            if (eventsOut != null) {
                opened.add(eventsOut);
            }
            this.events = new BoundedStage<>("events", config.queueCapacity(), new BoundedStage.Handler<>() {
                @Override
                public void accept(LogRecord r) {
                    if (eventsOut != null) {
                        eventsOut.record(r);
                    }
                }

                @Override
                public void endOfBatch() {
                    if (eventsOut != null) {
                        eventsOut.flush();
                    }
                }
            });
            opened.add(events);
            this.alerts = new BoundedStage<>("alerts", config.queueCapacity(), new BoundedStage.Handler<>() {
                @Override
                public void accept(Alert a) {
                    written.increment();
                    if (alertsOut != null) {
                        a.writeJson(alertsOut.buffer());
                        alertsOut.rendered();
                    }
                    listener.written(a);
                }

                @Override
                public void endOfBatch() {
                    if (alertsOut != null) {
                        alertsOut.flush();
                    }
                }
            });
            opened.add(alerts);
            this.follower = new PodFollower(cluster.resolver(), config.podScan(), new PodFollower.Listener() {
                @Override
                public void added(PodNetwork pod) {
                    startCapture(pod);
                }

                @Override
                public void removed(PodNetwork pod) {
                    listener.log("pod " + pod.label() + " is gone: stopping capture on " + pod.iface());
                    capture().stop(pod.iface());
                    backends.forget(pod);
                    Pipeline done = pipelines.remove(pod.iface());
                    if (done != null) {
                        retiredPackets.add(done.frames());
                    }
                }

                @Override
                public void log(String line) {
                    listener.log(line);
                }
            });
            opened.add(follower);
            this.enforcer = new Enforcer(follower, cluster.resolver(), this::audited);
            opened.add(enforcer);
            this.decisions = new BoundedStage<>("enforce", config.queueCapacity(), enforcer::accept);
            opened.add(decisions);
            this.detection = new Detection(config.nodeName(), rules, baselines, cluster.labels(), cluster.resolver(),
                    config.network(), config.foldWindow(), alerts::offer, listener::raised, decisions::offer);
            Detection.NetPath netPath = detection.netPath();
            this.net = new BoundedStage<>("net", config.queueCapacity(), r -> {
                if (eventsOut != null) {
                    events.offer(r);
                }
                netPath.accept(r instanceof IdentityFields f && f.resp() instanceof Endpoint.Service
                        ? new IdentityFields(f.record(), f.orig(), backends.backend(f.resp())) : r);
            });
            opened.add(net);
            AppAnalyzerFactory analyzers = ServiceLoader.load(AppAnalyzerFactory.class).findFirst().orElse(null);
            PipelineConfig pipeline = new PipelineConfig(config.flows(), config.scan(), 0, cluster.resolver());
            this.capture = new CaptureSession(config.capture(), iface -> pipeline(pipeline, analyzers, iface), null,
                    line -> {
                        if (!line.startsWith("capturing on ") && !line.startsWith("stopped capturing on ")) {
                            listener.log(line);
                        }
                    });
            opened.add(capture);
            this.hostPath = detection.hostPath();
            this.host = new HostSensor(config.host(), cluster.resolver(), this::fromHost);
        } catch (RuntimeException | IOException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * Starts an agent: loads rules and baselines, connects to the cluster, starts the host sensors,
     * finds the pods of this node and captures their traffic.
     *
     * @param stdout where {@code -} targets write
     * @throws AgentException naming what to fix when something cannot start (nothing stays running)
     */
    public static Agent start(AgentConfig config, AgentListener listener, OutputStream stdout) {
        if (Native.geteuid() != 0) {
            throw new AgentException("the agent needs root (packet capture, proc connector, ftrace, fanotify, "
                    + "network namespaces): run it as root, e.g. sudo ./vigil agent");
        }
        Agent agent;
        try {
            agent = new Agent(config, listener, stdout);
        } catch (IOException e) {
            throw new AgentException("cannot open an output: " + e.getMessage());
        }
        try {
            agent.host.start();
            agent.listener.log("host sensors started" + (agent.host.missingSyscalls().isEmpty() ? ""
                    : "; this kernel cannot trace " + agent.host.missingSyscalls()));
            agent.follower.start();
            agent.ticker = Thread.ofVirtual().name("vigil-agent-tick").start(agent::tick);
        } catch (RuntimeException e) {
            agent.close();
            throw e instanceof AgentException a ? a : new AgentException(e.getMessage());
        }
        return agent;
    }

    private static RuleSet loadRules(List<Path> files) {
        List<RuleFile> all = new ArrayList<>();
        all.add(RuleFile.vigilDefaults());
        for (Path f : files) {
            try {
                all.add(RuleFile.read(f));
            } catch (IOException e) {
                throw new AgentException("cannot read rule file " + f + ": " + e.getMessage());
            }
        }
        RuleSet rules = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.SOURCE)
                .matching(RuleMatching.ALL).build().load(all);
        if (rules.report().hasErrors()) {
            throw new AgentException("the rule files have errors; check them with: vigil rules check FILE...\n"
                    + rules.report().render());
        }
        return rules;
    }

    private static Cluster connect(AgentConfig config, AgentListener listener) {
        try {
            return Cluster.connect(config.kubeconfig());
        } catch (KubeAccessException | InventorySyncException e) {
            if (config.requireCluster()) {
                throw new AgentException(e.getMessage());
            }
            listener.log("no cluster identities: " + e.getMessage());
            return Cluster.none();
        }
    }

    private static BaselineConfig baselineConfig(AgentConfig config) {
        BaselineConfig b = BaselineConfig.defaults();
        if (config.learnFor().isZero()) {
            return b.withInitialMode(config.mode()).withLearning(false, Duration.ZERO, Duration.ZERO);
        }
        return b.withInitialMode(Mode.LEARN).withLearning(config.mode() != Mode.LEARN, config.learnFor(), config.quietFor());
    }

    private Pipeline pipeline(PipelineConfig pipelineConfig, AppAnalyzerFactory analyzers, String iface) {
        Pipeline p = new Pipeline(pipelineConfig, analyzers, sink(iface));
        pipelines.put(iface, p);
        return p;
    }

    private CaptureSession capture() {
        return capture;
    }

    private void startCapture(PodNetwork pod) {
        try {
            capture.start(pod.iface());
            listener.log("pod " + pod.label() + ": capturing on " + pod.iface());
        } catch (RuntimeException e) {
            listener.log("pod " + pod.label() + ": cannot capture on " + pod.iface() + ": " + e.getMessage());
        }
    }

    /**
     * The records of the capture on {@code iface}: a connection whose originator is another pod the
     * agent captures is dropped here (it is kept from the originator's own capture); what it shows of
     * the pod answering for a Service address is learnt first ({@link ServiceBackends}).
     */
    private RecordSink sink(String iface) {
        return record -> {
            if (record instanceof IdentityFields f) {
                PodNetwork mine = follower.byInterface(iface);
                backends.observe(mine, f.orig(), f.resp());
                if (f.orig() instanceof Endpoint.Pod o && mine != null && mine.identity() != null
                        && !mine.is(o.namespace(), o.name()) && follower.byPod(o.namespace(), o.name()) != null) {
                    return;
                }
            }
            net.offer(record);
        };
    }

    private void fromHost(LogRecord r) {
        if (eventsOut != null) {
            events.offer(r);
        }
        switch (r) {
            case HostEvent e -> {
                hostEvents.increment();
                if (e.container() != null) {
                    follower.observe(e.proc().netNs());
                }
                hostPath.accept(e);
            }
            case SensorStats s -> hostStats = s;
            default -> {
            }
        }
    }

    private void audited(EnforcementAudit a) {
        if (eventsOut != null) {
            events.offer(a);
        }
        listener.log("protect: " + a.action() + " " + a.outcome() + (a.pod() != null ? " in " + a.pod() : "")
                + (a.target() != null ? " (" + a.target() + ")" : "") + ": " + a.detail() + " — " + a.reason());
        listener.enforced(a);
    }

    private void tick() {
        long nextSave = System.nanoTime() + SAVE_INTERVAL.toNanos();
        long statsEvery = config.statsInterval().toNanos();
        long nextStats = statsEvery > 0 ? System.nanoTime() + statsEvery : Long.MAX_VALUE;
        while (!closed.get()) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            if (closed.get()) {
                return;
            }
            long now = nowNanos();
            detection.flush(now);
            for (WorkloadRef w : baselines.promote(now)) {
                if (config.mode() == Mode.PROTECT) {
                    baselines.setMode(w, Mode.PROTECT, now);
                }
                listener.log("workload " + w + " learned for " + config.learnFor().toSeconds() + " s: now in "
                        + baselines.mode(w).label() + " mode");
                listener.modeChanged(w, baselines.mode(w));
            }
            if (System.nanoTime() >= nextSave) {
                nextSave = System.nanoTime() + SAVE_INTERVAL.toNanos();
                save(now);
            }
            if (System.nanoTime() >= nextStats) {
                nextStats = System.nanoTime() + statsEvery;
                reportStats();
            }
        }
    }

    private void save(long now) {
        try {
            store.save(baselines, now);
        } catch (IOException | UncheckedIOException e) {
            listener.log("cannot save baselines to " + store.directory() + ": " + e.getMessage()
                    + "; check the disk and the directory's permissions");
        }
    }

    private AgentStats reportStats() {
        AgentStats s = stats();
        listener.log("stats: " + s.line(lastStats));
        lastStats = s;
        listener.stats(s);
        if (eventsOut != null) {
            events.offer(s);
        }
        return s;
    }

    /**
     * Sets the mode of {@code workload} (as {@code vigil policy mode} does through the state
     * directory, but at once).
     */
    public void setMode(WorkloadRef workload, Mode mode) {
        baselines.setMode(workload, mode, nowNanos());
        listener.log("workload " + workload + " set to " + mode.label() + " mode");
        listener.modeChanged(workload, mode);
    }

    /** The per-workload baselines (read their modes and policies; tests and the demo). */
    public Baselines baselines() {
        return baselines;
    }

    /** The pods this agent follows. */
    public List<PodNetwork> pods() {
        return follower.pods();
    }

    public AgentConfig config() {
        return config;
    }

    /** The counters now. */
    public AgentStats stats() {
        int learn = 0;
        int monitor = 0;
        int protect = 0;
        for (WorkloadRef w : baselines.workloads()) {
            switch (baselines.mode(w)) {
                case LEARN -> learn++;
                case MONITOR -> monitor++;
                case PROTECT -> protect++;
            }
        }
        long drops = 0;
        for (LiveCapture.Stats s : capture.stats().values()) {
            drops += s.dropped() + s.interfaceDropped();
        }
        List<AgentStats.Queue> queues = new ArrayList<>();
        for (BoundedStage<?> q : List.of(net, events, alerts, decisions)) {
            queues.add(new AgentStats.Queue(q.name(), q.capacity(), q.depth(), q.offered(), q.dropped(), q.failures()));
        }
        SensorStats h = host.stats();
        return new AgentStats(nowNanos(), (System.nanoTime() - startedNanos) / 1e9, cpuSeconds(), rssBytes(),
                follower.pods().size(), capture.interfaces().size(), packets(), drops, net.handled(),
                hostEvents.sum(), h, queues, detection.raised(), written.sum(), detection.decisions(), enforcer.done(),
                enforcer.refused(), enforcer.failed(), learn, monitor, protect);
    }

    /** Frames every pipeline processed, also those of pods that are gone. */
    private long packets() {
        long n = retiredPackets.sum();
        for (Pipeline p : pipelines.values()) {
            n += p.frames();
        }
        return n;
    }

    private static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return 0;
    }

    /** The resident set of this process, from {@code /proc/self/status} ({@code VmRSS}). */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Stops everything in order and writes the final stats; idempotent, safe from a shutdown hook. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        follower.close();
        capture.close();
        host.close();
        net.close();
        detection.close();
        decisions.close();
        enforcer.close();
        save(nowNanos());
        AgentStats last = reportStats();
        listener.log("stopped after " + String.format(java.util.Locale.ROOT, "%.0f", last.uptimeSeconds()) + " s; "
                + (last.lost() == 0 ? "nothing lost" : last.lost() + " items lost (see the stats line)"));
        alerts.close();
        events.close();
        if (alertsOut != null) {
            alertsOut.close();
        }
        if (eventsOut != null) {
            eventsOut.close();
        }
        cluster.close();
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // closing after a failed start; the start failure is what gets reported
            }
        }
    }
}
