package dev.vigil.kube.identity;

import dev.vigil.model.identity.Endpoint;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who held each IP address when: per address, the tenures of its holders, each from a start to an
 * end (open while held).
 *
 * <h2>Design</h2>
 * Reads are lock-free and allocate nothing: the table maps the canonical address text to an
 * immutable {@link Entry} (tenures sorted by rank, then start, with precomputed effective ends), which
 * writers replace wholesale (copy on write; entries hold a handful of tenures). Writers are the
 * resolver's single event thread, serialized by its lock.
 *
 * <p>Resolution of {@code (address, t)}: within a rank, the holder with the latest start at or before
 * {@code t} wins while {@code t} is before its effective end — its own end, or the start of the next
 * holder of the same rank, whichever is first ("a later start supersedes"), so evidence that arrives
 * out of order still yields one answer per instant. Ranks are tried in order (pod, node, host-network
 * pod, Service ClusterIP, Service external/load-balancer IP). A time in no tenure resolves to the
 * nearest tenure within the skew tolerance, else to nothing.
 *
 * <p>Limits ({@link HistorySettings}): closed tenures per address, closed tenures in total (a FIFO in
 * closing order), retention from closing. Open tenures are never evicted: they belong to live objects.
 */
final class AddressHistory {

    /** Immutable per-address state. {@code effectiveEnd[i]} is where tenure {@code i} stops counting. */
    static final class Entry {
        final Tenure[] tenures;
        final long[] effectiveEnd;

        Entry(Tenure[] tenures) {
            this.tenures = tenures;
            this.effectiveEnd = new long[tenures.length];
            for (int i = 0; i < tenures.length; i++) {
                long end = tenures[i].end();
                if (i + 1 < tenures.length && tenures[i + 1].rank() == tenures[i].rank()) {
                    end = Math.min(end, tenures[i + 1].start());
                }
                effectiveEnd[i] = Math.max(end, tenures[i].start());
            }
        }
    }

    private record Closed(String address, Tenure tenure, long closedAt) {
    }

    private final ConcurrentHashMap<String, Entry> table = new ConcurrentHashMap<>();
    private final ArrayDeque<Closed> closedInOrder = new ArrayDeque<>();
    private final HistorySettings settings;
    private final long skew;
    private volatile long closedTenures;
    private volatile long openTenures;
    private volatile long evictedPerAddress;
    private volatile long evictedTotal;
    private volatile long expired;

    AddressHistory(HistorySettings settings) {
        this.settings = settings;
        this.skew = settings.skewTolerance().toNanos();
    }

    /** The endpoint that held {@code address} at {@code t}, or null. Lock-free; allocates nothing. */
    Endpoint resolve(String address, long t) {
        Entry entry = table.get(address);
        if (entry == null) {
            return null;
        }
        Tenure[] tenures = entry.tenures;
        long[] ends = entry.effectiveEnd;
        int n = tenures.length;
        int i = 0;
        while (i < n) {
            int rank = tenures[i].rank();
            int hit = -1;
            for (; i < n && tenures[i].rank() == rank; i++) {
                if (tenures[i].start() <= t) {
                    hit = i;
                }
            }
            if (hit >= 0 && t < ends[hit]) {
                return tenures[hit].endpoint();
            }
        }
        Endpoint nearest = null;
        long best = Long.MAX_VALUE;
        for (i = 0; i < n; i++) {
            long start = tenures[i].start();
            if (ends[i] <= start) {
                continue;
            }
            long distance = t < start ? start - t : t - ends[i];
            if (distance <= skew && distance < best) {
                best = distance;
                nearest = tenures[i].endpoint();
            }
        }
        return nearest;
    }

    /** Opens a tenure for {@code holder}, or updates the endpoint of the one it has open. */
    void open(String address, String holder, int rank, long start, Endpoint endpoint) {
        Entry entry = table.get(address);
        int at = entry == null ? -1 : indexOfOpen(entry.tenures, holder);
        if (at >= 0) {
            if (!entry.tenures[at].endpoint().equals(endpoint)) {
                Tenure[] copy = entry.tenures.clone();
                copy[at] = copy[at].with(endpoint);
                table.put(address, new Entry(copy));
            }
            return;
        }
        insert(address, new Tenure(holder, rank, start, Tenure.OPEN, endpoint));
        openTenures++;
    }

    /** Ends the open tenure of {@code holder} at {@code end}; {@code now} starts its retention. */
    void close(String address, String holder, long end, long now) {
        Entry entry = table.get(address);
        int at = entry == null ? -1 : indexOfOpen(entry.tenures, holder);
        if (at < 0) {
            return;
        }
        Tenure closed = entry.tenures[at].closedAt(end);
        Tenure[] copy = entry.tenures.clone();
        copy[at] = closed;
        table.put(address, new Entry(copy));
        openTenures--;
        addClosed(address, closed, now);
    }

    /**
     * Records a tenure that had already ended when the resolver first heard of it; ignored when this
     * holder already has a tenure of {@code address} starting at {@code start}.
     */
    void record(String address, String holder, int rank, long start, long end, long now, Endpoint endpoint) {
        Tenure closed = new Tenure(holder, rank, start, Math.max(start, end), endpoint);
        Entry entry = table.get(address);
        if (entry != null) {
            for (Tenure t : entry.tenures) {
                if (t.holder().equals(holder) && t.start() == start) {
                    return;
                }
            }
        }
        insert(address, closed);
        addClosed(address, closed, now);
    }

    /** Drops closed tenures whose retention has passed. */
    void expire(long now) {
        long horizon = now - settings.retention().toNanos();
        while (!closedInOrder.isEmpty() && closedInOrder.peekFirst().closedAt() < horizon) {
            Closed c = closedInOrder.pollFirst();
            if (drop(c.address(), c.tenure())) {
                expired++;
            }
        }
    }

    long addresses() {
        return table.size();
    }

    long openTenures() {
        return openTenures;
    }

    long closedTenures() {
        return closedTenures;
    }

    long evictedPerAddress() {
        return evictedPerAddress;
    }

    long evictedTotal() {
        return evictedTotal;
    }

    long expired() {
        return expired;
    }

    private void addClosed(String address, Tenure closed, long now) {
        closedTenures++;
        closedInOrder.addLast(new Closed(address, closed, now));
        Entry entry = table.get(address);
        int closedHere = 0;
        for (Tenure t : entry.tenures) {
            if (!t.isOpen()) {
                closedHere++;
            }
        }
        while (closedHere > settings.maxHistoryPerAddress()) {
            Tenure oldest = null;
            for (Tenure t : table.get(address).tenures) {
                if (!t.isOpen() && (oldest == null || t.end() < oldest.end())) {
                    oldest = t;
                }
            }
            drop(address, oldest);
            evictedPerAddress++;
            closedHere--;
        }
        while (closedInOrder.size() > settings.maxClosedTenures()) {
            Closed c = closedInOrder.pollFirst();
            if (drop(c.address(), c.tenure())) {
                evictedTotal++;
            }
        }
    }

    /** Removes exactly this closed tenure (by identity) if still present. */
    private boolean drop(String address, Tenure tenure) {
        Entry entry = table.get(address);
        if (entry == null) {
            return false;
        }
        for (int i = 0; i < entry.tenures.length; i++) {
            if (entry.tenures[i] == tenure) {
                Tenure[] rest = remove(entry.tenures, i);
                if (rest.length == 0) {
                    table.remove(address);
                } else {
                    table.put(address, new Entry(rest));
                }
                closedTenures--;
                return true;
            }
        }
        return false;
    }

    private void insert(String address, Tenure tenure) {
        Entry entry = table.get(address);
        Tenure[] old = entry == null ? new Tenure[0] : entry.tenures;
        int at = old.length;
        while (at > 0 && after(old[at - 1], tenure)) {
            at--;
        }
        Tenure[] copy = new Tenure[old.length + 1];
        System.arraycopy(old, 0, copy, 0, at);
        copy[at] = tenure;
        System.arraycopy(old, at, copy, at + 1, old.length - at);
        table.put(address, new Entry(copy));
    }

    /** Sort order: rank, then start; equal keys keep insertion order, so the latest inserted wins a tie. */
    private static boolean after(Tenure a, Tenure b) {
        return a.rank() != b.rank() ? a.rank() > b.rank() : a.start() > b.start();
    }

    private static int indexOfOpen(Tenure[] tenures, String holder) {
        for (int i = 0; i < tenures.length; i++) {
            if (tenures[i].isOpen() && tenures[i].holder().equals(holder)) {
                return i;
            }
        }
        return -1;
    }

    private static Tenure[] remove(Tenure[] tenures, int at) {
        Tenure[] out = Arrays.copyOf(tenures, tenures.length - 1);
        System.arraycopy(tenures, at + 1, out, at, tenures.length - at - 1);
        return out;
    }
}
