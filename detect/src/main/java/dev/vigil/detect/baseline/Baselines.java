package dev.vigil.detect.baseline;

import dev.vigil.model.identity.WorkloadRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The learned baselines of every workload on a node, and their modes.
 *
 * <p>Each check ({@link #exec}, {@link #peer}, {@link #listening}, {@link #dnsName},
 * {@link #fileWrite}, {@link #tokenRead}) looks an observation up in its workload's baseline and
 * answers with a {@link Verdict}: known; new and learned (learn mode); new and a deviation (monitor);
 * new and to be blocked (protect). A workload seen for the first time gets a baseline in the
 * configured initial mode; its learning clock starts with that observation. A learning workload is
 * promoted to monitor, when its learning period is over, at its next check or by {@link #promote}.
 *
 * <p>Checking a known fact allocates nothing: keys are hashed part by part ({@link Fnv}) from the
 * strings the event already holds and looked up in open-addressing sets. Times are the events' own,
 * in epoch nanoseconds. Thread-safe: one monitor per workload, so sensors on different threads check
 * different workloads in parallel.
 */
public final class Baselines {

    private static final Comparator<WorkloadRef> ORDER = Comparator.comparing(WorkloadRef::namespace)
            .thenComparing(WorkloadRef::name).thenComparing(WorkloadRef::kind);

    private final BaselineConfig config;
    private final ConcurrentHashMap<WorkloadRef, WorkloadBaseline> workloads = new ConcurrentHashMap<>();
    private final LongAdder untracked = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder promotions = new LongAdder();
    private final LongAdder deviations = new LongAdder();
    private final java.util.concurrent.ConcurrentLinkedQueue<WorkloadRef> recentlyPromoted =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    public Baselines(BaselineConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    public BaselineConfig config() {
        return config;
    }

    /**
     * An executable started in a container of {@code w}.
     *
     * @param exe  {@code proc.exepath}
     * @param name {@code proc.name}
     * @param args argv (argv[0] is not part of the shape)
     */
    public Verdict exec(WorkloadRef w, String container, String exe, String name, List<String> args, long now) {
        WorkloadBaseline b = baseline(w, now);
        if (b == null) {
            return Verdict.UNTRACKED;
        }
        synchronized (b) {
            ContainerBaseline c = b.container(container);
            if (c == null) {
                return overflow();
            }
            long exeKey = ContainerBaseline.exeKey(exe, name);
            long shapeKey = ArgShape.hash(ContainerBaseline.shapeSeed(exeKey), args);
            if (c.anyArgs.contains(exeKey) || c.shapes.contains(shapeKey)) {
                return Verdict.KNOWN;
            }
            Verdict v = unknown(b, now);
            if (v != Verdict.LEARNED) {
                return v;
            }
            ContainerBaseline.Exe e = c.findExe(exeKey);
            if (e == null) {
                e = new ContainerBaseline.Exe(exe, name, exeKey);
                if (!c.executables.add(exeKey, e)) {
                    return overflow();
                }
            }
            if (e.shapes.size() >= config.maxShapesPerExecutable()) {
                e.anyArgs = true;
                e.shapes.clear();
                c.anyArgs.add(exeKey);
            } else {
                e.shapes.add(ArgShape.text(args));
                c.shapes.add(shapeKey);
            }
            b.learned(now);
            return v;
        }
    }

    /** Whether {@code exe} (any arguments) is in the container's baseline; for describing a deviation. */
    public boolean knowsExecutable(WorkloadRef w, String container, String exe, String name) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            ContainerBaseline c = b.containers.get(container);
            return c != null && c.executables.contains(ContainerBaseline.exeKey(exe, name));
        }
    }

    /**
     * A connection from {@code w} to a peer.
     *
     * @param namespace the peer's namespace for workloads and services (the name is then
     *                  {@code namespace/name}), else null
     * @param app       the application protocol ({@code conn.service}), or null when not known (yet)
     */
    public Verdict peer(WorkloadRef w, PeerKind kind, String namespace, String name, int port, String proto, String app,
                        long now) {
        WorkloadBaseline b = baseline(w, now);
        if (b == null) {
            return Verdict.UNTRACKED;
        }
        synchronized (b) {
            long key = WorkloadBaseline.peerKey(kind, namespace, name, port, proto);
            boolean knownPeer = b.peers.contains(key);
            if (knownPeer && (app == null || b.peerApps.contains(WorkloadBaseline.peerAppKey(key, app)))) {
                return Verdict.KNOWN;
            }
            Verdict v = unknown(b, now);
            if (v != Verdict.LEARNED) {
                return v;
            }
            String fullName = namespace == null ? name : namespace + "/" + name;
            WorkloadBaseline.PeerEntry e = knownPeer ? b.findPeer(kind, fullName, port, proto) : null;
            if (e == null) {
                e = new WorkloadBaseline.PeerEntry(kind, fullName, port, proto);
                if (!b.peers.add(key, e)) {
                    return overflow();
                }
            }
            if (app != null) {
                if (e.apps.size() >= config.maxAppsPerPeer()) {
                    return overflow();
                }
                e.apps.add(app);
                b.peerApps.add(WorkloadBaseline.peerAppKey(key, app));
            }
            b.learned(now);
            return v;
        }
    }

    /** Whether the peer (any application) is in the baseline; for describing a deviation. */
    public boolean knowsPeer(WorkloadRef w, PeerKind kind, String namespace, String name, int port, String proto) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            return b.peers.contains(WorkloadBaseline.peerKey(kind, namespace, name, port, proto));
        }
    }

    /** A connection accepted by {@code w} on {@code port}. */
    public Verdict listening(WorkloadRef w, int port, String proto, long now) {
        WorkloadBaseline b = baseline(w, now);
        if (b == null) {
            return Verdict.UNTRACKED;
        }
        synchronized (b) {
            long key = WorkloadBaseline.listenKey(port, proto);
            if (b.listening.contains(key)) {
                return Verdict.KNOWN;
            }
            return fact(b, now, b.listening, key, p -> new WorkloadPolicy.Listening(port, p), proto);
        }
    }

    /** A DNS name {@code w} resolved (compared without case and trailing dot). */
    public Verdict dnsName(WorkloadRef w, String name, long now) {
        WorkloadBaseline b = baseline(w, now);
        if (b == null) {
            return Verdict.UNTRACKED;
        }
        synchronized (b) {
            return fact(b, now, b.dnsNames, WorkloadBaseline.dnsKey(name), WorkloadBaseline::dnsText, name);
        }
    }

    /** A file written in a container of {@code w}; learned by directory. */
    public Verdict fileWrite(WorkloadRef w, String container, String path, long now) {
        return containerFact(w, container, now, c -> c.fileDirs, ContainerBaseline.dirKey(path), ContainerBaseline::dir,
                path);
    }

    /** The service-account token read by {@code exe} in a container of {@code w}. */
    public Verdict tokenRead(WorkloadRef w, String container, String exe, long now) {
        return containerFact(w, container, now, c -> c.tokenReaders, Fnv.add(Fnv.START, exe), UnaryOperator.identity(),
                exe);
    }

    /** A fact of one of a container's sets of text; the set and the text are picked by non-capturing functions. */
    private Verdict containerFact(WorkloadRef w, String container, long now, Function<ContainerBaseline, Facts<String>> set,
                                  long key, UnaryOperator<String> text, String value) {
        WorkloadBaseline b = baseline(w, now);
        if (b == null) {
            return Verdict.UNTRACKED;
        }
        synchronized (b) {
            ContainerBaseline c = b.container(container);
            if (c == null) {
                return overflow();
            }
            return fact(b, now, set.apply(c), key, text, value);
        }
    }

    /** Known, or learned as {@code item.apply(value)}, or a deviation by mode. Called with the workload's monitor held. */
    private <A, T> Verdict fact(WorkloadBaseline b, long now, Facts<T> facts, long key, Function<A, T> item, A value) {
        if (facts.contains(key)) {
            return Verdict.KNOWN;
        }
        Verdict v = unknown(b, now);
        if (v != Verdict.LEARNED) {
            return v;
        }
        if (!facts.add(key, item.apply(value))) {
            return overflow();
        }
        b.learned(now);
        return v;
    }

    /** The mode of {@code w}, or null when it has no baseline. */
    public Mode mode(WorkloadRef w) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            return null;
        }
        synchronized (b) {
            return b.mode;
        }
    }

    /**
     * Sets the mode of {@code w}, creating an empty baseline when it has none (to set a workload's
     * mode before it runs). Back to learn restarts its learning clock and keeps what it knows.
     */
    public void setMode(WorkloadRef w, Mode mode, long now) {
        WorkloadBaseline b = workloads.computeIfAbsent(w, k -> new WorkloadBaseline(k, config, mode, now));
        synchronized (b) {
            b.setMode(mode, now);
        }
    }

    /**
     * Promotes every learning workload whose learning period is over, and returns the workloads
     * promoted since the last call — by this sweep or at a check — so the caller can report each once.
     */
    public List<WorkloadRef> promote(long now) {
        for (WorkloadBaseline b : workloads.values()) {
            synchronized (b) {
                if (b.promoteIfDue(now)) {
                    promoted(b.ref);
                }
            }
        }
        List<WorkloadRef> out = new ArrayList<>();
        for (WorkloadRef w; (w = recentlyPromoted.poll()) != null; ) {
            out.add(w);
        }
        return out;
    }

    private void promoted(WorkloadRef w) {
        promotions.increment();
        if (recentlyPromoted.size() < workloads.size() + 1) {
            recentlyPromoted.add(w);
        }
    }

    /** The baseline of {@code w} as a policy snapshot. */
    public Optional<WorkloadPolicy> policy(WorkloadRef w) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            return Optional.empty();
        }
        synchronized (b) {
            return Optional.of(b.snapshot());
        }
    }

    /** The workloads that have a baseline, sorted by namespace, name and kind. */
    public List<WorkloadRef> workloads() {
        List<WorkloadRef> out = new ArrayList<>(workloads.keySet());
        out.sort(ORDER);
        return out;
    }

    /** Every baseline, sorted by namespace, name and kind. */
    public List<WorkloadPolicy> policies() {
        List<WorkloadPolicy> out = new ArrayList<>();
        for (WorkloadBaseline b : workloads.values()) {
            synchronized (b) {
                out.add(b.snapshot());
            }
        }
        out.sort(Comparator.comparing(WorkloadPolicy::workload, ORDER));
        return out;
    }

    /**
     * Replaces the baseline and mode of the policy's workload with the policy (an import, or a
     * policy file changed on disk).
     *
     * @throws IllegalArgumentException when the policy holds more than the configured bounds
     */
    public void replace(WorkloadPolicy policy) {
        WorkloadBaseline fresh = WorkloadBaseline.of(policy, config);
        WorkloadBaseline old = workloads.put(policy.workload(), fresh);
        if (old != null) {
            synchronized (old) {
                fresh.version = old.version + 1;
            }
        } else {
            fresh.version = 1;
        }
    }

    /** Removes the baseline of {@code w}; true when there was one. */
    public boolean remove(WorkloadRef w) {
        return workloads.remove(w) != null;
    }

    /** The change counter of {@code w}'s baseline (0 when it has none); rises with every change. */
    long version(WorkloadRef w) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            return b.version;
        }
    }

    /** Counters of the baselines. */
    public Stats stats() {
        return new Stats(workloads.size(), untracked.sum(), overflows.sum(), promotions.sum(), deviations.sum());
    }

    /**
     * @param workloads  baselines held
     * @param untracked  observations of workloads that got no baseline (beyond {@link BaselineConfig#maxWorkloads()})
     * @param overflows  new facts not learned because their set was full
     * @param promotions automatic moves from learn to monitor
     * @param deviations observations answered with {@link Verdict#DEVIATION} or {@link Verdict#BLOCK}
     */
    public record Stats(int workloads, long untracked, long overflows, long promotions, long deviations) {
    }

    private WorkloadBaseline baseline(WorkloadRef w, long now) {
        WorkloadBaseline b = workloads.get(w);
        if (b == null) {
            if (workloads.size() >= config.maxWorkloads()) {
                untracked.increment();
                return null;
            }
            b = workloads.computeIfAbsent(w, k -> new WorkloadBaseline(k, config, config.initialMode(), now));
        }
        return b;
    }

    /** The verdict for a new fact by mode; promotes first when due. Called with the workload's monitor held. */
    private Verdict unknown(WorkloadBaseline b, long now) {
        if (b.promoteIfDue(now)) {
            promoted(b.ref);
        }
        return switch (b.mode) {
            case LEARN -> Verdict.LEARNED;
            case MONITOR -> {
                deviations.increment();
                yield Verdict.DEVIATION;
            }
            case PROTECT -> {
                deviations.increment();
                yield Verdict.BLOCK;
            }
        };
    }

    private Verdict overflow() {
        overflows.increment();
        return Verdict.UNTRACKED;
    }
}
