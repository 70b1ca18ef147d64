package dev.vigil.kube.identity;

import dev.vigil.kube.inventory.ClusterInventory;
import dev.vigil.kube.inventory.InventoryChange;
import dev.vigil.kube.inventory.InventoryListener;
import dev.vigil.kube.inventory.Kind;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.IpText;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Identity resolution over a {@link ClusterInventory}: IP address → pod, Service, node or external,
 * as of a given time; container id → pod and container; pod → root workload.
 *
 * <h2>How it works</h2>
 * The resolver listens to the inventory and turns objects into <em>tenures</em> of addresses (see
 * {@link AddressHistory}) and entries of containers (see {@link ContainerTable}):
 * <ul>
 *   <li>a pod holds each of its {@code status.podIPs} from the time its sandbox got its network
 *       (condition {@code PodReadyToStartContainers}; else {@code status.startTime}; else its creation;
 *       else when seen) until it is deleted or reaches {@code Succeeded}/{@code Failed} (its containers'
 *       last {@code finishedAt}, widened to the end of that second, else when seen); a pod already
 *       finished when first seen is recorded as history. A {@code hostNetwork} pod's address resolves
 *       to its node, never to the pod;</li>
 *   <li>a Service holds its ClusterIPs, {@code externalIPs} and load-balancer ingress IPs; a node its
 *       {@code InternalIP} and {@code ExternalIP} addresses — from creation (or from when an address
 *       was added) until deleted (or the address removed);</li>
 *   <li>each container id in the pod's init, app and ephemeral container statuses (and the previous
 *       instance in {@code lastState}) maps to its identity; ids of deleted pods, of finished
 *       containers and of restarted instances stay resolvable as "gone" for the retention window.</li>
 * </ul>
 * Root workloads follow {@link Workloads}; when an owner arrives or changes, the pods whose owner
 * walk looked it up are walked again and their cached endpoints and identities replaced.
 *
 * <h2>Cost</h2>
 * Lookups are lock-free reads of concurrent maps holding immutable values, never touch the network,
 * and return cached objects: resolving an address held by a pod, Service or node, or an external
 * address seen recently, allocates nothing; nor does a container lookup by bare or short id. An
 * external address seen for the first time (or evicted from the {@value #EXTERNAL_CACHE_SIZE}-slot
 * cache), non-canonical address text and {@code runtime://} container URIs allocate a little. Changes
 * are applied under one lock on the inventory's delivery thread.
 */
public final class KubeIdentityResolver implements IdentityResolver, InventoryListener {

    /** Slots of the direct-mapped cache of external endpoints. */
    static final int EXTERNAL_CACHE_SIZE = 4096;
    /** How often, at most, changes also drop expired history. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private static final String READY_TO_START = "PodReadyToStartContainers";
    private static final long SECOND = 1_000_000_000L;

    private record Claim(int rank, long start, Endpoint endpoint) {
    }

    /** What the resolver last derived from one pod. */
    private static final class PodState {
        Pod pod;
        WorkloadRef workload;
        Set<String> path = Set.of();
        final Set<String> containerIds = new HashSet<>();
        boolean historyRecorded;
    }

    private final ClusterInventory inventory;
    private final InstantSource clock;
    private final AddressHistory addresses;
    private final ContainerTable containers;
    private final Workloads workloads;
    private final Endpoint.External[] externals = new Endpoint.External[EXTERNAL_CACHE_SIZE];

    private final Object writeLock = new Object();
    private final Map<String, PodState> pods = new HashMap<>();
    private final Map<String, Set<String>> podsByLink = new HashMap<>();
    private final Map<String, Map<String, Claim>> claims = new HashMap<>();
    private long lastSweep;

    private KubeIdentityResolver(ClusterInventory inventory, HistorySettings settings, InstantSource clock) {
        this.inventory = inventory;
        this.clock = clock;
        this.addresses = new AddressHistory(settings);
        this.containers = new ContainerTable(settings);
        this.workloads = new Workloads(this::owner);
        this.lastSweep = Times.nanos(clock.instant());
    }

    /** A resolver with default history limits, fed by {@code inventory}; attach before starting the inventory. */
    public static KubeIdentityResolver attach(ClusterInventory inventory) {
        return attach(inventory, HistorySettings.DEFAULTS, InstantSource.system());
    }

    /**
     * A resolver fed by {@code inventory}, which must watch {@link Kind#POD} (and should watch the rest
     * of {@link Kind#IDENTITY}) and not be started yet. {@code clock} dates the changes it observes.
     */
    public static KubeIdentityResolver attach(ClusterInventory inventory, HistorySettings settings,
            InstantSource clock) {
        if (!inventory.watches(Kind.POD)) {
            throw new IllegalArgumentException("identity resolution needs an inventory that watches pods;"
                    + " create it with Kind.IDENTITY or Kind.ALL");
        }
        KubeIdentityResolver resolver = new KubeIdentityResolver(inventory, Objects.requireNonNull(settings),
                Objects.requireNonNull(clock));
        inventory.addListener(resolver);
        return resolver;
    }

    @Override
    public Endpoint resolve(String ip, Instant at) {
        return resolveEpochNanos(ip, Times.nanos(at));
    }

    @Override
    public Endpoint resolveEpochNanos(String ip, long epochNanos) {
        Endpoint held = addresses.resolve(ip, epochNanos);
        if (held != null) {
            return held;
        }
        int slot = (ip.hashCode() * 0x9E3779B9 >>> 16) & (EXTERNAL_CACHE_SIZE - 1);
        Endpoint.External cached = externals[slot];
        if (cached != null && cached.ip().equals(ip)) {
            return cached;
        }
        String canonical = IpText.canonical(ip);
        if (canonical != null && !canonical.equals(ip)) {
            held = addresses.resolve(canonical, epochNanos);
            return held != null ? held : new Endpoint.External(canonical, null);
        }
        Endpoint.External external = new Endpoint.External(ip, null);
        externals[slot] = external;
        return external;
    }

    /** What {@code ip} stands for now. */
    public Endpoint resolveNow(String ip) {
        return resolve(ip, clock.instant());
    }

    @Override
    public Optional<ContainerIdentity> container(String containerId) {
        return containers.find(containerId);
    }

    /** Counts of what is held and what the limits dropped. */
    public ResolverStats stats() {
        return new ResolverStats(addresses.addresses(), addresses.openTenures(), addresses.closedTenures(),
                addresses.evictedPerAddress(), addresses.evictedTotal(), addresses.expired(), containers.live(),
                containers.gone(), containers.evicted(), containers.expired(), workloads.depthExceeded());
    }

    /** Drops history past its retention now; changes also do so every {@link #SWEEP_INTERVAL}. */
    public void sweep() {
        synchronized (writeLock) {
            sweep(Times.nanos(clock.instant()));
        }
    }

    @Override
    public void onChange(InventoryChange change) {
        synchronized (writeLock) {
            long now = Times.nanos(clock.instant());
            Kind<?> kind = change.kind();
            boolean deleted = change.type() == InventoryChange.Type.DELETED;
            if (kind == Kind.POD) {
                Pod pod = change.object(Kind.POD);
                if (deleted) {
                    removePod(pod, now);
                } else {
                    upsertPod(pod, now);
                }
            } else if (kind == Kind.SERVICE) {
                Service service = change.object(Kind.SERVICE);
                reconcile(holder("svc", service), deleted ? Map.of() : serviceClaims(service, now), now, now);
            } else if (kind == Kind.NODE) {
                Node node = change.object(Kind.NODE);
                reconcile(holder("node", node), deleted ? Map.of() : nodeClaims(node, now), now, now);
            } else if (Kind.OWNERS.contains(kind) && ownershipChanged(change)) {
                ObjectMeta meta = change.object().getMetadata();
                rewalk(Workloads.linkKey(kind.kindName(), meta.getNamespace(), meta.getName()), now);
            }
            if (now - lastSweep >= SWEEP_INTERVAL.toNanos()) {
                sweep(now);
            }
        }
    }

    private void sweep(long now) {
        addresses.expire(now);
        containers.expire(now);
        lastSweep = now;
    }

    private HasMetadata owner(String kindName, String namespace, String name) {
        Kind<?> kind = Kind.named(kindName);
        if (kind == null || !inventory.watches(kind)) {
            return null;
        }
        return inventory.get(kind, namespace, name).orElse(null);
    }

    private static boolean ownershipChanged(InventoryChange change) {
        return change.type() != InventoryChange.Type.UPDATED
                || !Objects.equals(change.previous().getMetadata().getOwnerReferences(),
                        change.current().getMetadata().getOwnerReferences());
    }

    private void rewalk(String linkKey, long now) {
        Set<String> uids = podsByLink.get(linkKey);
        if (uids == null) {
            return;
        }
        for (String uid : List.copyOf(uids)) {
            PodState state = pods.get(uid);
            if (state != null) {
                upsertPod(state.pod, now);
            }
        }
    }

    // ---- pods

    private void upsertPod(Pod pod, long now) {
        String uid = uid(pod);
        PodState state = pods.computeIfAbsent(uid, u -> new PodState());
        state.pod = pod;
        Set<String> path = new LinkedHashSet<>();
        state.workload = workloads.rootOf(pod, path);
        indexPath(uid, state.path, path);
        state.path = path;

        String holder = "pod/" + uid;
        PodSpec spec = pod.getSpec() != null ? pod.getSpec() : new PodSpec();
        PodStatus status = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        String node = spec.getNodeName();
        long start = addressStart(pod, now);
        Map<String, Claim> wanted = new LinkedHashMap<>();
        for (String ip : podIps(status)) {
            Endpoint endpoint = hostNetwork ? new Endpoint.Node(ip, node)
                    : new Endpoint.Pod(ip, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                            state.workload, node);
            wanted.put(ip, new Claim(hostNetwork ? Tenure.Rank.HOST_NETWORK_POD : Tenure.Rank.POD, start, endpoint));
        }
        if (isTerminal(status)) {
            long end = terminalEnd(status, now);
            if (claims.containsKey(holder)) {
                reconcile(holder, Map.of(), end, now);
            } else if (!state.historyRecorded) {
                wanted.forEach((ip, c) -> addresses.record(ip, holder, c.rank(), c.start(), end, now, c.endpoint()));
            }
            state.historyRecorded = true;
        } else {
            reconcile(holder, wanted, now, now);
        }
        updateContainers(state, pod, spec, status, now);
    }

    private void removePod(Pod pod, long now) {
        String uid = uid(pod);
        PodState state = pods.remove(uid);
        reconcile("pod/" + uid, Map.of(), now, now);
        if (state != null) {
            indexPath(uid, state.path, Set.of());
            for (String id : state.containerIds) {
                containers.markGone(id, now);
            }
        }
    }

    private void indexPath(String uid, Set<String> oldPath, Set<String> newPath) {
        for (String key : oldPath) {
            if (!newPath.contains(key)) {
                Set<String> uids = podsByLink.get(key);
                if (uids != null && uids.remove(uid) && uids.isEmpty()) {
                    podsByLink.remove(key);
                }
            }
        }
        for (String key : newPath) {
            podsByLink.computeIfAbsent(key, k -> new HashSet<>()).add(uid);
        }
    }

    private void updateContainers(PodState state, Pod pod, PodSpec spec, PodStatus status, long now) {
        Map<String, String> images = new HashMap<>();
        for (Container c : orEmpty(spec.getInitContainers())) {
            images.put(c.getName(), c.getImage());
        }
        for (Container c : orEmpty(spec.getContainers())) {
            images.put(c.getName(), c.getImage());
        }
        for (EphemeralContainer c : orEmpty(spec.getEphemeralContainers())) {
            images.put(c.getName(), c.getImage());
        }
        boolean terminal = isTerminal(status);
        Set<String> seen = new HashSet<>();
        List<ContainerStatus> statuses = new ArrayList<>();
        statuses.addAll(orEmpty(status.getInitContainerStatuses()));
        statuses.addAll(orEmpty(status.getContainerStatuses()));
        statuses.addAll(orEmpty(status.getEphemeralContainerStatuses()));
        for (ContainerStatus cs : statuses) {
            String image = images.getOrDefault(cs.getName(), cs.getImage());
            String current = cs.getContainerID();
            String id = ContainerIds.normalize(current);
            if (id != null && id.length() == ContainerIds.FULL_LENGTH) {
                ContainerIdentity identity = identity(pod, cs.getName(), image, current, id,
                        ContainerIds.digest(cs.getImageID()), state.workload);
                boolean ended = terminal || (cs.getState() != null && cs.getState().getTerminated() != null);
                track(state, identity, ended, now);
                seen.add(id);
            }
            ContainerStateTerminated previous = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
            String previousUri = previous == null ? null : previous.getContainerID();
            String previousId = ContainerIds.normalize(previousUri);
            if (previousId != null && previousId.length() == ContainerIds.FULL_LENGTH && !seen.contains(previousId)) {
                track(state, identity(pod, cs.getName(), image, previousUri, previousId, null, state.workload), true,
                        now);
                seen.add(previousId);
            }
        }
        for (String id : List.copyOf(state.containerIds)) {
            if (!seen.contains(id)) {
                containers.markGone(id, now);
                state.containerIds.remove(id);
            }
        }
    }

    private void track(PodState state, ContainerIdentity identity, boolean ended, long now) {
        String id = identity.containerId();
        boolean known = state.containerIds.contains(id);
        if (!ended) {
            containers.put(identity);
        } else if (!known) {
            containers.put(identity);
            containers.markGone(id, now);
        } else {
            containers.markGone(id, now);
        }
        state.containerIds.add(id);
    }

    private static ContainerIdentity identity(Pod pod, String container, String image, String uri, String id,
            String digest, WorkloadRef workload) {
        ObjectMeta meta = pod.getMetadata();
        return new ContainerIdentity(id, ContainerIds.runtime(uri), meta.getNamespace(), meta.getName(), meta.getUid(),
                container, image, digest, workload);
    }

    private static List<String> podIps(PodStatus status) {
        Set<String> ips = new LinkedHashSet<>();
        for (PodIP ip : orEmpty(status.getPodIPs())) {
            addCanonical(ips, ip.getIp());
        }
        if (ips.isEmpty()) {
            addCanonical(ips, status.getPodIP());
        }
        return List.copyOf(ips);
    }

    /** When the pod got its address: sandbox ready, else kubelet start, else creation, else now. */
    private static long addressStart(Pod pod, long now) {
        PodStatus status = pod.getStatus();
        if (status != null) {
            for (PodCondition c : orEmpty(status.getConditions())) {
                if (READY_TO_START.equals(c.getType()) && "True".equals(c.getStatus())) {
                    long t = Times.parse(c.getLastTransitionTime(), Long.MIN_VALUE);
                    if (t != Long.MIN_VALUE) {
                        return t;
                    }
                }
            }
            long started = Times.parse(status.getStartTime(), Long.MIN_VALUE);
            if (started != Long.MIN_VALUE) {
                return started;
            }
        }
        return Times.parse(pod.getMetadata().getCreationTimestamp(), now);
    }

    private static boolean isTerminal(PodStatus status) {
        return "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase());
    }

    /** The last container finish, widened to the end of its (second-precision) second; else now. */
    private static long terminalEnd(PodStatus status, long now) {
        long last = Long.MIN_VALUE;
        List<ContainerStatus> all = new ArrayList<>(orEmpty(status.getInitContainerStatuses()));
        all.addAll(orEmpty(status.getContainerStatuses()));
        for (ContainerStatus cs : all) {
            if (cs.getState() != null && cs.getState().getTerminated() != null) {
                last = Math.max(last, Times.parse(cs.getState().getTerminated().getFinishedAt(), Long.MIN_VALUE));
            }
        }
        return last == Long.MIN_VALUE ? now : Math.min(now, last + SECOND);
    }

    // ---- services and nodes

    private Map<String, Claim> serviceClaims(Service service, long now) {
        long start = claimStart("svc", service, now);
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        Map<String, Claim> wanted = new LinkedHashMap<>();
        Set<String> clusterIps = new LinkedHashSet<>();
        Set<String> external = new LinkedHashSet<>();
        if (service.getSpec() != null) {
            for (String ip : orEmpty(service.getSpec().getClusterIPs())) {
                addCanonical(clusterIps, ip);
            }
            addCanonical(clusterIps, service.getSpec().getClusterIP());
            for (String ip : orEmpty(service.getSpec().getExternalIPs())) {
                addCanonical(external, ip);
            }
        }
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress ingress : orEmpty(service.getStatus().getLoadBalancer().getIngress())) {
                addCanonical(external, ingress.getIp());
            }
        }
        for (String ip : clusterIps) {
            wanted.put(ip, new Claim(Tenure.Rank.SERVICE_CLUSTER_IP, start, new Endpoint.Service(ip, ns, name)));
        }
        for (String ip : external) {
            wanted.putIfAbsent(ip, new Claim(Tenure.Rank.SERVICE_EXTERNAL, start, new Endpoint.Service(ip, ns, name)));
        }
        return wanted;
    }

    private Map<String, Claim> nodeClaims(Node node, long now) {
        long start = claimStart("node", node, now);
        Map<String, Claim> wanted = new LinkedHashMap<>();
        if (node.getStatus() != null) {
            for (NodeAddress a : orEmpty(node.getStatus().getAddresses())) {
                if ("InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType())) {
                    String ip = IpText.canonical(a.getAddress());
                    if (ip != null) {
                        wanted.putIfAbsent(ip, new Claim(Tenure.Rank.NODE, start,
                                new Endpoint.Node(ip, node.getMetadata().getName())));
                    }
                }
            }
        }
        return wanted;
    }

    /** An object's first addresses count from its creation; addresses added later from when seen. */
    private long claimStart(String prefix, HasMetadata object, long now) {
        return claims.containsKey(holder(prefix, object)) ? now
                : Math.min(now, Times.parse(object.getMetadata().getCreationTimestamp(), now));
    }

    private void reconcile(String holder, Map<String, Claim> wanted, long end, long now) {
        Map<String, Claim> current = claims.getOrDefault(holder, Map.of());
        for (String ip : current.keySet()) {
            if (!wanted.containsKey(ip)) {
                addresses.close(ip, holder, end, now);
            }
        }
        wanted.forEach((ip, c) -> addresses.open(ip, holder, c.rank(), c.start(), c.endpoint()));
        if (wanted.isEmpty()) {
            claims.remove(holder);
        } else {
            claims.put(holder, wanted);
        }
    }

    private static String holder(String prefix, HasMetadata object) {
        return prefix + "/" + uid(object);
    }

    private static String uid(HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        return meta.getUid() != null ? meta.getUid() : meta.getNamespace() + "/" + meta.getName();
    }

    private static void addCanonical(Set<String> into, String ip) {
        if (ip != null && !ip.isEmpty() && !"None".equals(ip)) {
            String canonical = IpText.canonical(ip);
            if (canonical != null) {
                into.add(canonical);
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
