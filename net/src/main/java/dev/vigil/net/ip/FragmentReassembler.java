package dev.vigil.net.ip;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Reassembles fragmented IPv4 and IPv6 datagrams (RFC 791 section 3.2, RFC 8200 section 4.5). The
 * fragmentable part is copied into a pooled buffer; overlapping bytes keep the first copy (the policy
 * of Zeek and Suricata's default), and a differing overlap is reported.
 *
 * <p>Limits (named constants):
 * <ul>
 *   <li>{@link #MAX_PENDING}: datagrams under reassembly at once; the oldest is dropped to make room;</li>
 *   <li>{@link #MAX_DATAGRAM}: bytes of one reassembled payload (a fragment reaching past it is dropped);</li>
 *   <li>{@link #MAX_FRAGMENTS}: fragments per datagram;</li>
 *   <li>{@link #TIMEOUT_MICROS}: a datagram not completed within this time (packet clock) is dropped.</li>
 * </ul>
 * Memory is bounded by {@code MAX_PENDING × MAX_DATAGRAM}. Not thread-safe.
 */
public final class FragmentReassembler {

    public static final int MAX_PENDING = 256;
    public static final int MAX_DATAGRAM = 65_535;
    public static final int MAX_FRAGMENTS = 128;
    public static final long TIMEOUT_MICROS = 30_000_000L;

    /** {@link #add} result: the datagram is complete; read it through {@link #payload()}. */
    public static final int COMPLETE = 0;
    /** {@link #add} result: held, waiting for more fragments. */
    public static final int PENDING = 1;
    /** {@link #add} result: the fragment broke a limit and was dropped (or its datagram was). */
    public static final int DROPPED = 2;

    private static final int BLOCKS = (MAX_DATAGRAM + 7) / 8;

    private final Datagram[] pending = new Datagram[MAX_PENDING];
    private int count;
    private final ArrayDeque<Datagram> pool = new ArrayDeque<>();
    private Datagram completed;
    private long dropped;
    private long overlaps;
    private boolean lastOverlapped;

    private static final class Datagram {
        final byte[] bytes = new byte[MAX_DATAGRAM];
        final long[] covered = new long[(BLOCKS + 63) / 64];
        int version;
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int id;
        int protocol;
        int total;
        int fragments;
        long firstMicros;

        void reset() {
            java.util.Arrays.fill(covered, 0);
            total = -1;
            fragments = 0;
            protocol = -1;
        }

        boolean isCovered(int block) {
            return (covered[block >>> 6] & (1L << block)) != 0;
        }

        boolean complete() {
            if (total < 0) {
                return false;
            }
            int blocks = (total + 7) / 8;
            for (int b = 0; b < blocks; b++) {
                if (!isCovered(b)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Adds one fragment.
     *
     * @param protocol    the transport protocol when this fragment carries offset 0's header chain end, else -1
     * @param offsetBytes the fragment's offset in the datagram, in bytes
     * @param more        the "more fragments" flag
     * @return {@link #COMPLETE}, {@link #PENDING} or {@link #DROPPED}
     */
    public int add(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int protocol,
                   int offsetBytes, boolean more, MemorySegment data, long offset, int length, long nowMicros) {
        lastOverlapped = false;
        expire(nowMicros);
        if (offsetBytes + length > MAX_DATAGRAM || (more && (length & 7) != 0) || length < 0) {
            dropped++;
            return DROPPED;
        }
        Datagram d = find(version, srcHi, srcLo, dstHi, dstLo, id);
        if (d == null) {
            d = open(version, srcHi, srcLo, dstHi, dstLo, id, nowMicros);
        }
        if (++d.fragments > MAX_FRAGMENTS) {
            close(d);
            dropped++;
            return DROPPED;
        }
        if (protocol >= 0 && offsetBytes == 0) {
            d.protocol = protocol;
        }
        if (!more) {
            int end = offsetBytes + length;
            if (d.total >= 0 && d.total != end) {
                close(d);
                dropped++;
                return DROPPED;
            }
            d.total = end;
        }
        copy(d, data, offset, offsetBytes, length);
        if (d.complete() && d.protocol >= 0) {
            remove(d);
            if (completed != null) {
                pool.push(completed);
            }
            completed = d;
            return COMPLETE;
        }
        return PENDING;
    }

    private void copy(Datagram d, MemorySegment data, long offset, int at, int length) {
        int end = at + length;
        for (int pos = at; pos < end; ) {
            int block = pos >>> 3;
            int blockEnd = Math.min(end, (block + 1) << 3);
            if (d.isCovered(block)) {
                for (int i = pos; i < blockEnd; i++) {
                    if (d.bytes[i] != data.get(ValueLayout.JAVA_BYTE, offset + (i - at))) {
                        lastOverlapped = true;
                    }
                }
            } else {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + (pos - at), d.bytes, pos, blockEnd - pos);
                d.covered[block >>> 6] |= 1L << block;
            }
            pos = blockEnd;
        }
        if (lastOverlapped) {
            overlaps++;
        }
    }

    /** The last completed datagram's payload (valid until the next {@link #add} that completes). */
    public MemorySegment payload() {
        return MemorySegment.ofArray(completed.bytes);
    }

    /** The last completed datagram's payload bytes, {@link #payloadLength()} of them (valid as {@link #payload()}). */
    public byte[] payloadBytes() {
        return completed.bytes;
    }

    /** Length of the last completed payload. */
    public int payloadLength() {
        return completed.total;
    }

    /** Transport protocol of the last completed datagram. */
    public int payloadProtocol() {
        return completed.protocol;
    }

    /** True when the last fragment added overlapped earlier bytes with different content. */
    public boolean lastOverlapped() {
        return lastOverlapped;
    }

    /** Fragments or datagrams dropped by a limit, a timeout or inconsistent lengths. */
    public long dropped() {
        return dropped;
    }

    /** Fragments that overlapped earlier data with different bytes. */
    public long overlaps() {
        return overlaps;
    }

    /** Datagrams currently awaiting fragments. */
    public int pendingCount() {
        return count;
    }

    private Datagram find(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id) {
        for (int i = 0; i < count; i++) {
            Datagram d = pending[i];
            if (d.id == id && d.srcLo == srcLo && d.dstLo == dstLo && d.srcHi == srcHi && d.dstHi == dstHi
                    && d.version == version) {
                return d;
            }
        }
        return null;
    }

    private Datagram open(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, long now) {
        if (count == MAX_PENDING) {
            close(pending[0]);
            dropped++;
        }
        Datagram d = pool.isEmpty() ? new Datagram() : pool.pop();
        d.reset();
        d.version = version;
        d.srcHi = srcHi;
        d.srcLo = srcLo;
        d.dstHi = dstHi;
        d.dstLo = dstLo;
        d.id = id;
        d.firstMicros = now;
        pending[count++] = d;
        return d;
    }

    private void expire(long now) {
        while (count > 0 && now - pending[0].firstMicros > TIMEOUT_MICROS) {
            close(pending[0]);
            dropped++;
        }
    }

    private void close(Datagram d) {
        remove(d);
        pool.push(d);
    }

    private void remove(Datagram d) {
        for (int i = 0; i < count; i++) {
            if (pending[i] == d) {
                System.arraycopy(pending, i + 1, pending, i, count - i - 1);
                pending[--count] = null;
                return;
            }
        }
    }
}
