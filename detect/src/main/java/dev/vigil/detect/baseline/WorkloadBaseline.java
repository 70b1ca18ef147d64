package dev.vigil.detect.baseline;

import dev.vigil.model.identity.WorkloadRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload's mode, learning clock and facts. Every method is called with the instance's monitor
 * held ({@link Baselines} synchronizes on it).
 */
final class WorkloadBaseline {

    /** A peer with the applications seen to it; mutable while learning. */
    static final class PeerEntry {
        final PeerKind kind;
        final String name;
        final int port;
        final String proto;
        final List<String> apps = new ArrayList<>(2);

        PeerEntry(PeerKind kind, String name, int port, String proto) {
            this.kind = kind;
            this.name = name;
            this.port = port;
            this.proto = proto;
        }
    }

    final WorkloadRef ref;
    final BaselineConfig config;
    Mode mode;
    long learningStarted;
    long lastChange;
    long modeChanged;
    /** Counts changes, so the store writes only what changed since its last write. */
    long version;

    final Facts<PeerEntry> peers;
    /** Hashes of (peer, application). */
    final LongSet peerApps = new LongSet();
    final Facts<WorkloadPolicy.Listening> listening;
    final Facts<String> dnsNames;
    final Map<String, ContainerBaseline> containers = new HashMap<>();

    WorkloadBaseline(WorkloadRef ref, BaselineConfig config, Mode mode, long now) {
        this.ref = ref;
        this.config = config;
        this.mode = mode;
        this.learningStarted = now;
        this.lastChange = now;
        this.modeChanged = now;
        this.peers = new Facts<>(config.maxPeers());
        this.listening = new Facts<>(config.maxListening());
        this.dnsNames = new Facts<>(config.maxDnsNames());
    }

    /** Moves a learning workload to monitor when its learning period is over; true when it did. */
    boolean promoteIfDue(long now) {
        if (mode != Mode.LEARN || !config.autoPromote()) {
            return false;
        }
        if (now - learningStarted < config.minLearning().toNanos() || now - lastChange < config.quietPeriod().toNanos()) {
            return false;
        }
        mode = Mode.MONITOR;
        modeChanged = now;
        version++;
        return true;
    }

    void setMode(Mode m, long now) {
        if (m == Mode.LEARN && mode != Mode.LEARN) {
            learningStarted = now;
            lastChange = now;
        }
        mode = m;
        modeChanged = now;
        version++;
    }

    void learned(long now) {
        lastChange = Math.max(lastChange, now);
        version++;
    }

    /** The container's baseline, created when there is room; null when the workload has as many as it may. */
    ContainerBaseline container(String name) {
        ContainerBaseline c = containers.get(name);
        if (c == null && containers.size() < config.maxContainers()) {
            c = new ContainerBaseline(name, config);
            containers.put(name, c);
        }
        return c;
    }

    static long peerKey(PeerKind kind, String namespace, String name, int port, String proto) {
        long h = Fnv.add(Fnv.START, kind.label());
        h = Fnv.add(h, Fnv.SEP);
        if (namespace != null) {
            h = Fnv.add(Fnv.add(h, namespace), '/');
        }
        h = Fnv.add(h, name);
        h = Fnv.addNumber(Fnv.add(h, Fnv.SEP), port);
        return Fnv.part(h, proto);
    }

    static long peerAppKey(long peerKey, String app) {
        return Fnv.part(peerKey, app);
    }

    static long listenKey(int port, String proto) {
        return Fnv.part(Fnv.addNumber(Fnv.START, port), proto);
    }

    static long dnsKey(String name) {
        int end = name.length();
        if (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        return Fnv.addLower(Fnv.START, name, 0, end);
    }

    static String dnsText(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(java.util.Locale.ROOT);
    }

    PeerEntry findPeer(PeerKind kind, String name, int port, String proto) {
        for (PeerEntry p : peers.items()) {
            if (p.kind == kind && p.port == port && p.name.equals(name) && p.proto.equals(proto)) {
                return p;
            }
        }
        return null;
    }

    WorkloadPolicy snapshot() {
        List<WorkloadPolicy.Peer> ps = new ArrayList<>();
        for (PeerEntry p : peers.items()) {
            ps.add(new WorkloadPolicy.Peer(p.kind, p.name, p.port, p.proto, p.apps));
        }
        List<WorkloadPolicy.ContainerPolicy> cs = new ArrayList<>();
        containers.values().stream().sorted((a, b) -> a.name.compareTo(b.name)).forEach(c -> {
            List<WorkloadPolicy.Process> procs = new ArrayList<>();
            for (ContainerBaseline.Exe e : c.executables.items()) {
                procs.add(new WorkloadPolicy.Process(e.exe, e.name, e.anyArgs, e.anyArgs ? List.of() : e.shapes));
            }
            cs.add(new WorkloadPolicy.ContainerPolicy(c.name, procs, c.fileDirs.items(), c.tokenReaders.items()));
        });
        return new WorkloadPolicy(ref, mode, learningStarted, lastChange, modeChanged, ps, listening.items(),
                dnsNames.items(), cs);
    }

    /** A baseline holding exactly {@code p}; rejects a policy beyond the configured bounds. */
    static WorkloadBaseline of(WorkloadPolicy p, BaselineConfig config) {
        WorkloadBaseline w = new WorkloadBaseline(p.workload(), config, p.mode(), p.learningStartedNanos());
        w.lastChange = p.lastChangeNanos();
        w.modeChanged = p.modeChangedNanos();
        bound(p, "peers", p.peers().size(), config.maxPeers());
        for (WorkloadPolicy.Peer peer : p.peers()) {
            bound(p, "applications of peer " + peer.name() + ":" + peer.port(), peer.apps().size(), config.maxAppsPerPeer());
            long key = peerKey(peer.kind(), null, peer.name(), peer.port(), peer.proto());
            PeerEntry e = w.findPeer(peer.kind(), peer.name(), peer.port(), peer.proto());
            if (e == null) {
                e = new PeerEntry(peer.kind(), peer.name(), peer.port(), peer.proto());
                w.peers.add(key, e);
            }
            for (String app : peer.apps()) {
                if (w.peerApps.add(peerAppKey(key, app))) {
                    e.apps.add(app);
                }
            }
        }
        bound(p, "listening ports", p.listening().size(), config.maxListening());
        for (WorkloadPolicy.Listening l : p.listening()) {
            w.listening.add(listenKey(l.port(), l.proto()), l);
        }
        bound(p, "DNS names", p.dnsNames().size(), config.maxDnsNames());
        for (String n : p.dnsNames()) {
            w.dnsNames.add(dnsKey(n), dnsText(n));
        }
        bound(p, "containers", p.containers().size(), config.maxContainers());
        for (WorkloadPolicy.ContainerPolicy cp : p.containers()) {
            ContainerBaseline c = w.container(cp.name());
            bound(p, "executables of container " + cp.name(), cp.processes().size(), config.maxExecutables());
            for (WorkloadPolicy.Process proc : cp.processes()) {
                bound(p, "argument shapes of " + proc.exe(), proc.args().size(), config.maxShapesPerExecutable());
                long exeKey = ContainerBaseline.exeKey(proc.exe(), proc.name());
                ContainerBaseline.Exe e = c.findExe(exeKey);
                if (e == null) {
                    e = new ContainerBaseline.Exe(proc.exe(), proc.name(), exeKey);
                    c.executables.add(exeKey, e);
                }
                if (proc.anyArgs()) {
                    e.anyArgs = true;
                    c.anyArgs.add(exeKey);
                }
                for (String shape : proc.args()) {
                    if (c.shapes.add(ArgShape.textHash(ContainerBaseline.shapeSeed(exeKey), shape))) {
                        e.shapes.add(shape);
                    }
                }
            }
            bound(p, "written directories of container " + cp.name(), cp.filesWritten().size(), config.maxFileDirs());
            for (String d : cp.filesWritten()) {
                c.fileDirs.add(Fnv.add(Fnv.START, d), d);
            }
            bound(p, "token readers of container " + cp.name(), cp.tokenReaders().size(), config.maxTokenReaders());
            for (String r : cp.tokenReaders()) {
                c.tokenReaders.add(Fnv.add(Fnv.START, r), r);
            }
        }
        return w;
    }

    private static void bound(WorkloadPolicy p, String what, int count, int max) {
        if (count > max) {
            throw new IllegalArgumentException("policy of " + p.workload().qualifiedName() + ": " + count + " " + what
                    + ", at most " + max + " are kept; remove some or raise the bound in the agent's configuration");
        }
    }
}
