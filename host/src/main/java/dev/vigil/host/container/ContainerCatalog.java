package dev.vigil.host.container;

import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.IdentityResolver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the host sensors know about containers, shared by all of them and thread-safe: the cluster
 * identity of each container id (asked of the {@link IdentityResolver}, positive answers cached,
 * unknown ids asked again at most every {@link #RETRY_UNKNOWN_NANOS}), the overlay root and the user
 * names of each mount namespace. At most {@link #MAX_ENTRIES} entries per cache; when full, the cache
 * is emptied and refilled (the data is cheap to read again).
 */
public final class ContainerCatalog {

    /** Most cached entries per cache. */
    public static final int MAX_ENTRIES = 4096;
    /** How long an id the resolver did not know is left before asking again. */
    public static final long RETRY_UNKNOWN_NANOS = 1_000_000_000L;

    private final IdentityResolver resolver;
    private final Map<String, HostEvent.Container> known = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownSince = new ConcurrentHashMap<>();
    private final Map<Long, Optional<OverlayRoot>> overlays = new ConcurrentHashMap<>();
    private final Map<Long, Map<Integer, String>> users = new ConcurrentHashMap<>();
    private final Map<Integer, Recent> recent = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Recent> eldest) {
                    return size() > MAX_RECENT_PROCESSES;
                }
            });

    private volatile long processesCaughtUp = Long.MIN_VALUE;

    /**
     * The process sensor has handled every event the kernel queued before {@code monoNanos}
     * ({@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()}): it found its socket empty then.
     */
    public void processesCaughtUp(long monoNanos) {
        processesCaughtUp = monoNanos;
    }

    /**
     * Until when ({@code CLOCK_MONOTONIC} nanoseconds) the process sensor has handled every event:
     * what {@link #recentProcess} says of a process reflects its execs and renames up to then.
     * {@link Long#MIN_VALUE} when no process sensor runs.
     */
    public long processesCaughtUp() {
        return processesCaughtUp;
    }

    /** Most processes remembered by {@link #rememberProcess}. */
    public static final int MAX_RECENT_PROCESSES = 16_384;

    /**
     * A process as the process sensor last saw it, for sensors whose events arrive after the process
     * ended and can no longer be read from {@code /proc}.
     *
     * @param process   the process
     * @param container its container, or null on the host
     */
    public record Recent(HostEvent.Process process, HostEvent.Container container) {
    }

    public ContainerCatalog(IdentityResolver resolver) {
        this.resolver = resolver;
    }

    public IdentityResolver resolver() {
        return resolver;
    }

    /** The container for a cgroup match, with its cluster identity when the resolver knows it. */
    public HostEvent.Container container(CgroupContainer.Ref ref) {
        HostEvent.Container c = known.get(ref.id());
        if (c != null) {
            return c;
        }
        long now = System.nanoTime();
        Long since = unknownSince.get(ref.id());
        if (since == null || now - since >= RETRY_UNKNOWN_NANOS) {
            Optional<ContainerIdentity> id = resolver.container(ref.id());
            if (id.isPresent()) {
                String runtime = ref.runtime() != null ? ref.runtime() : id.get().runtime();
                c = new HostEvent.Container(ref.id(), runtime, id.get());
                bounded(known).put(ref.id(), c);
                unknownSince.remove(ref.id());
                return c;
            }
            bounded(unknownSince).put(ref.id(), now);
        }
        return new HostEvent.Container(ref.id(), ref.runtime(), null);
    }

    /** {@code c} with its cluster identity, asking the resolver again (rate-limited) when it was unknown. */
    public HostEvent.Container refresh(HostEvent.Container c) {
        return c.identity() != null ? c : container(new CgroupContainer.Ref(c.id(), c.runtime(), null));
    }

    /** The overlay root of mount namespace {@code mntNs}, read once with {@code mountinfo}; null when not an overlay. */
    public OverlayRoot overlay(long mntNs, Supplier<String> mountinfo) {
        if (mntNs == 0) {
            return null;
        }
        Optional<OverlayRoot> o = overlays.get(mntNs);
        if (o == null) {
            String text = mountinfo.get();
            if (text == null) {
                return null;
            }
            o = Optional.ofNullable(OverlayRoot.parse(text));
            bounded(overlays).put(mntNs, o);
        }
        return o.orElse(null);
    }

    /** The name of {@code uid} in mount namespace {@code mntNs}, read once with {@code passwd}; null when unknown. */
    public String userName(long mntNs, int uid, Supplier<String> passwd) {
        if (uid < 0) {
            return null;
        }
        Map<Integer, String> names = users.get(mntNs);
        if (names == null) {
            names = Passwd.parse(passwd.get());
            bounded(users).put(mntNs, names);
        }
        return names.get(uid);
    }

    /** Records what the process sensor knows of {@code process} (at fork, exec, or when its container is learnt). */
    public void rememberProcess(HostEvent.Process process, HostEvent.Container container) {
        recent.put(process.pid(), new Recent(process, container));
    }

    /** The process last remembered under {@code pid}, or null. */
    public Recent recentProcess(int pid) {
        return recent.get(pid);
    }

    private static <K, V> Map<K, V> bounded(Map<K, V> map) {
        if (map.size() >= MAX_ENTRIES) {
            map.clear();
        }
        return map;
    }
}
