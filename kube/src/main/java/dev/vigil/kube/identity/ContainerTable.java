package dev.vigil.kube.identity;

import dev.vigil.model.identity.ContainerIdentity;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers by id, including those of deleted pods and those replaced by a restart ("gone"), kept
 * for the retention window and up to {@link HistorySettings#maxGoneContainers()}.
 *
 * <p>Reads are lock-free; a lookup by the bare 64-character id or by the 12-character short id
 * allocates nothing (each entry carries its {@code Optional}). URIs ({@code containerd://…}) and
 * upper-case ids take a slower path that normalizes the text first. Writers are serialized by the
 * resolver's lock.
 */
final class ContainerTable {

    private static final long LIVE = Long.MAX_VALUE;

    private record Entry(ContainerIdentity identity, Optional<ContainerIdentity> found, long goneAt) {
    }

    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String[]> byShortId = new ConcurrentHashMap<>();
    private final ArrayDeque<Entry> goneInOrder = new ArrayDeque<>();
    private final HistorySettings settings;
    private volatile long gone;
    private volatile long evicted;
    private volatile long expired;

    ContainerTable(HistorySettings settings) {
        this.settings = settings;
    }

    Optional<ContainerIdentity> find(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.length() == ContainerIds.FULL_LENGTH) {
            Entry e = byId.get(text);
            if (e != null) {
                return e.found();
            }
        } else if (text.length() == ContainerIds.SHORT_LENGTH) {
            Optional<ContainerIdentity> found = byShort(text);
            if (found.isPresent()) {
                return found;
            }
        }
        String id = ContainerIds.normalize(text);
        if (id == null || id.equals(text)) {
            return Optional.empty();
        }
        if (id.length() == ContainerIds.SHORT_LENGTH) {
            return byShort(id);
        }
        Entry e = byId.get(id);
        return e == null ? Optional.empty() : e.found();
    }

    private Optional<ContainerIdentity> byShort(String shortId) {
        String[] ids = byShortId.get(shortId);
        if (ids == null || ids.length != 1) {
            return Optional.empty();
        }
        Entry e = byId.get(ids[0]);
        return e == null ? Optional.empty() : e.found();
    }

    /** Adds or refreshes a live container. */
    void put(ContainerIdentity identity) {
        String id = identity.containerId();
        Entry old = byId.get(id);
        if (old != null && old.goneAt() == LIVE && old.identity().equals(identity)) {
            return;
        }
        if (old != null && old.goneAt() != LIVE) {
            gone--;
        }
        byId.put(id, new Entry(identity, Optional.of(identity), LIVE));
        if (old == null) {
            String shortId = id.substring(0, ContainerIds.SHORT_LENGTH);
            String[] ids = byShortId.get(shortId);
            byShortId.put(shortId, ids == null ? new String[] {id} : append(ids, id));
        }
    }

    /** Marks a container gone at {@code now}; it stays resolvable for the retention window. */
    void markGone(String id, long now) {
        Entry old = byId.get(id);
        if (old == null || old.goneAt() != LIVE) {
            return;
        }
        Entry e = new Entry(old.identity(), old.found(), now);
        byId.put(id, e);
        goneInOrder.addLast(e);
        gone++;
        while (goneInOrder.size() > settings.maxGoneContainers()) {
            if (drop(goneInOrder.pollFirst())) {
                evicted++;
            }
        }
    }

    void expire(long now) {
        long horizon = now - settings.retention().toNanos();
        while (!goneInOrder.isEmpty() && goneInOrder.peekFirst().goneAt() < horizon) {
            if (drop(goneInOrder.pollFirst())) {
                expired++;
            }
        }
    }

    long live() {
        return byId.size() - gone;
    }

    long gone() {
        return gone;
    }

    long evicted() {
        return evicted;
    }

    long expired() {
        return expired;
    }

    private boolean drop(Entry e) {
        String id = e.identity().containerId();
        if (!byId.remove(id, e)) {
            return false;
        }
        gone--;
        String shortId = id.substring(0, ContainerIds.SHORT_LENGTH);
        String[] ids = byShortId.get(shortId);
        if (ids != null) {
            String[] rest = Arrays.stream(ids).filter(x -> !x.equals(id)).toArray(String[]::new);
            if (rest.length == 0) {
                byShortId.remove(shortId);
            } else {
                byShortId.put(shortId, rest);
            }
        }
        return true;
    }

    private static String[] append(String[] ids, String id) {
        String[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = id;
        return out;
    }
}
