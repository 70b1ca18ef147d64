package dev.vigil.agent.pods;

import dev.vigil.host.container.CgroupContainer;
import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcFs;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.IdentityResolver;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Follows the pods of this node as they come and go, by their network namespaces, without relying on
 * how the runtime names them: every process whose network namespace differs from the agent's and whose
 * cgroup names a container (any runtime {@link CgroupContainer} knows) marks a pod network; a process
 * of it gives {@code /proc/<pid>/ns/net}, in which an rtnetlink dump ({@link NetnsLinks}) gives the
 * peer index of {@code eth0}, which names the host end of the pod's veth — checked from the host side
 * (a veth whose peer is that {@code eth0}). The cluster identity comes from the container id.
 *
 * <p>Discovery runs on one virtual thread: a full scan of {@code /proc} every {@link #scanInterval}
 * (which also notices pods that went away), and at once when {@link #observe} reports a process in a
 * namespace not seen yet (the host sensor calls it for every process start). Pods sharing the host's
 * network namespace ({@code hostNetwork}) have no veth of their own and are not followed.
 */
public final class PodFollower implements AutoCloseable {

    /** Default time between full scans of {@code /proc}. */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(2);

    /** Hears pods appear and disappear, on the follower's thread. */
    public interface Listener {

        /** A pod network was found; capture may start on {@link PodNetwork#iface()}. */
        void added(PodNetwork pod);

        /** A pod network is gone (its namespace has no process left). */
        void removed(PodNetwork pod);

        /** Something the operator should know (a namespace whose veth could not be found, and why). */
        void log(String line);
    }

    private final IdentityResolver resolver;
    private final Listener listener;
    private final Duration scanInterval;
    private final Map<Long, PodNetwork> byNetNs = new ConcurrentHashMap<>();
    private final Map<String, PodNetwork> byIface = new ConcurrentHashMap<>();
    private final Map<String, PodNetwork> byPod = new ConcurrentHashMap<>();
    private final Set<Long> reported = ConcurrentHashMap.newKeySet();
    /** Namespaces known or reported, sorted, for {@link #observe}'s allocation-free lookup; replaced after each scan. */
    private volatile long[] seen = new long[0];
    private final Semaphore wake = new Semaphore(0);
    private final long hostNetNs;
    private volatile boolean running = true;
    private Thread thread;
    private long scans;

    public PodFollower(IdentityResolver resolver, Duration scanInterval, Listener listener) {
        this.resolver = resolver;
        this.scanInterval = scanInterval;
        this.listener = listener;
        Native sys = new Native();
        try {
            this.hostNetNs = new ProcFs(sys).namespaceInode(Native.getpid(), "ns/net");
        } finally {
            sys.release();
        }
    }

    /** Scans once, then keeps following on a virtual thread until {@link #close()}. */
    public synchronized PodFollower start() {
        scan();
        thread = Thread.ofVirtual().name("vigil-pod-follower").start(this::follow);
        return this;
    }

    private void follow() {
        while (running) {
            try {
                wake.tryAcquire(scanInterval.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                scan();
            }
        }
    }

    /**
     * A process was seen in network namespace {@code netNs}: when the namespace is new, scan now rather
     * than at the next interval. Cheap and non-blocking; any thread.
     */
    public void observe(long netNs) {
        if (netNs != 0 && netNs != hostNetNs && Arrays.binarySearch(seen, netNs) < 0) {
            wake.release();
        }
    }

    /** Walks {@code /proc} once: adds new pod networks, drops vanished ones. Called by the follower thread. */
    synchronized void scan() {
        scans++;
        Map<Long, List<Integer>> byNs = new HashMap<>();
        Native sys = new Native();
        try {
            ProcFs fs = new ProcFs(sys);
            for (int pid : pids()) {
                long ns = fs.namespaceInode(pid, "ns/net");
                if (ns != 0 && ns != hostNetNs) {
                    byNs.computeIfAbsent(ns, k -> new ArrayList<>()).add(pid);
                }
            }
            for (Map.Entry<Long, List<Integer>> e : byNs.entrySet()) {
                PodNetwork known = byNetNs.get(e.getKey());
                if (known == null || known.identity() == null || !e.getValue().contains(known.pid())) {
                    settle(fs, e.getKey(), e.getValue());
                }
            }
        } finally {
            sys.release();
        }
        for (PodNetwork p : List.copyOf(byNetNs.values())) {
            if (!byNs.containsKey(p.netNs())) {
                byNetNs.remove(p.netNs());
                byIface.remove(p.iface(), p);
                if (p.identity() != null) {
                    byPod.remove(podKey(p.identity().namespace(), p.identity().pod()), p);
                }
                listener.removed(p);
            }
        }
        reported.retainAll(byNs.keySet());
        seen = LongStream.concat(byNetNs.keySet().stream().mapToLong(Long::longValue),
                reported.stream().mapToLong(Long::longValue)).sorted().toArray();
    }

    /** Finds the veth of a new namespace, or names the container of a known one. */
    private void settle(ProcFs fs, long ns, List<Integer> pids) {
        int pid = -1;
        String containerId = null;
        ContainerIdentity identity = null;
        for (int p : pids) {
            int n = fs.read(p, "cgroup");
            CgroupContainer.Ref ref = n > 0 ? CgroupContainer.parse(fs.bytes(), n) : null;
            if (ref == null) {
                continue;
            }
            Optional<ContainerIdentity> id = resolver.container(ref.id());
            if (pid < 0 || (identity == null && id.isPresent())) {
                pid = p;
                containerId = ref.id();
                identity = id.orElse(null);
            }
        }
        if (pid < 0) {
            return;
        }
        PodNetwork known = byNetNs.get(ns);
        if (known != null) {
            put(known.withIdentity(identity != null ? identity : known.identity(), pid, containerId));
            return;
        }
        if (reported.contains(ns)) {
            return;
        }
        try {
            PodNetwork found = hostEnd(ns, pid, containerId, identity);
            put(found);
            listener.added(found);
        } catch (PodNetworkException e) {
            reported.add(ns);
            listener.log("network namespace " + ns + " of container " + containerId.substring(0, 12) + " (pid " + pid
                    + "): " + e.getMessage() + "; not captured");
        }
    }

    private void put(PodNetwork p) {
        byNetNs.put(p.netNs(), p);
        byIface.put(p.iface(), p);
        if (p.identity() != null) {
            byPod.put(podKey(p.identity().namespace(), p.identity().pod()), p);
        }
    }

    private static String podKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The host end of the veth whose other end is {@code eth0} (or the only veth) of namespace {@code ns}. */
    static PodNetwork hostEnd(long ns, int pid, String containerId, ContainerIdentity identity) {
        List<LinkDumpDecoder.Link> inside = NetnsLinks.in("/proc/" + pid + "/ns/net");
        LinkDumpDecoder.Link eth = podEnd(inside);
        if (eth == null) {
            throw new PodNetworkException("no veth in the namespace (interfaces: "
                    + inside.stream().map(LinkDumpDecoder.Link::name).toList() + ")");
        }
        for (LinkDumpDecoder.Link host : NetnsLinks.here()) {
            if (host.index() == eth.peerIndex()) {
                if (!"veth".equals(host.kind()) || host.peerIndex() != eth.index()) {
                    throw new PodNetworkException(eth.name() + "'s peer index " + eth.peerIndex() + " is " + host.name()
                            + " (" + host.kind() + ", peer " + host.peerIndex() + ") in the agent's namespace, not its veth"
                            + " peer: is the agent in the host's network namespace (hostNetwork: true)?");
                }
                return new PodNetwork(ns, pid, containerId, identity, host.name(), host.index());
            }
        }
        throw new PodNetworkException(eth.name() + "'s peer (index " + eth.peerIndex() + ") is not in the agent's network"
                + " namespace: run the agent in the host's network namespace (hostNetwork: true)");
    }

    /** {@code eth0} when it is a veth, else the first veth whose peer is in another namespace. */
    static LinkDumpDecoder.Link podEnd(List<LinkDumpDecoder.Link> links) {
        LinkDumpDecoder.Link first = null;
        for (LinkDumpDecoder.Link l : links) {
            if ("veth".equals(l.kind()) && l.peerIndex() > 0) {
                if (l.name().equals("eth0")) {
                    return l;
                }
                if (first == null && l.peerElsewhere()) {
                    first = l;
                }
            }
        }
        return first;
    }

    private static List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    out.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /** The pod networks followed now. */
    public List<PodNetwork> pods() {
        return List.copyOf(byNetNs.values());
    }

    /** The pod network captured on host interface {@code iface}, or null. */
    public PodNetwork byInterface(String iface) {
        return byIface.get(iface);
    }

    /** The network of pod {@code namespace/name}, or null when it is not on this node (or not named yet). */
    public PodNetwork byPod(String namespace, String name) {
        return byPod.get(podKey(namespace, name));
    }

    /** Full scans done so far. */
    public long scans() {
        return scans;
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
