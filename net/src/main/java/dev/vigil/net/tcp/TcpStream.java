package dev.vigil.net.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Reassembles one direction of a TCP connection into an in-order byte stream.
 *
 * <p>Design: the stream keeps the next expected sequence number, unwrapped to a 64-bit stream offset
 * so wrap-around is invisible. A segment that starts at or before it is handed to the consumer
 * straight from the packet's memory (the zero-copy fast path), minus any bytes already delivered
 * (retransmissions and overlaps: the first copy wins, as in Zeek and Suricata's default policy). A
 * segment beyond it is copied into a small sorted buffer, clipped against what is already buffered,
 * and released when the hole before it fills. Holes become gaps ({@link StreamConsumer#gap}) when the
 * peer acknowledges bytes the capture never saw, when a limit is reached, or when the stream ends.
 * A connection picked up mid-stream starts at its first data segment.
 *
 * <p>Limits: {@link #MAX_SEGMENTS} buffered pieces and {@link #MAX_BUFFERED_BYTES} bytes per
 * direction, plus the shared {@link ReassemblyBudget}. Not thread-safe.
 */
public final class TcpStream {

    /** Out-of-order pieces held per direction. */
    public static final int MAX_SEGMENTS = 256;
    /** Out-of-order bytes held per direction. */
    public static final int MAX_BUFFERED_BYTES = 1024 * 1024;

    private final ReassemblyBudget budget;
    private boolean started;
    private int nextRaw;
    private long next;
    private long delivered;
    private long missed;
    private long[] starts = new long[0];
    private MemorySegment[] pieces = new MemorySegment[0];
    private int count;
    private int bufferedBytes;

    public TcpStream(ReassemblyBudget budget) {
        this.budget = budget;
    }

    /** A SYN with sequence number {@code seq} was seen: the stream starts one past it. */
    public void syn(int seq) {
        if (!started) {
            started = true;
            nextRaw = seq + 1;
        }
    }

    /**
     * Offers a segment's payload: {@code length} captured bytes of a segment that carried
     * {@code wireLength} bytes (more when the snap length cut the packet; the rest becomes a gap).
     */
    public void segment(int seq, MemorySegment data, long offset, int length, int wireLength, long tsMicros,
                        StreamConsumer consumer) {
        segment(seq, data, offset, length, tsMicros, consumer);
        if (wireLength > length && started) {
            long end = next + ((seq + wireLength) - nextRaw);
            if (end > next && (count == 0 || starts[0] >= end) && (seq + length) - nextRaw == 0) {
                skipHole(end, tsMicros, consumer);
            }
        }
    }

    /** Offers a segment's payload (all of it captured). */
    public void segment(int seq, MemorySegment data, long offset, int length, long tsMicros, StreamConsumer consumer) {
        if (length <= 0) {
            return;
        }
        if (!started) {
            started = true;
            nextRaw = seq;
        }
        int rel = seq - nextRaw;
        if (rel <= 0) {
            if (rel + length <= 0) {
                return;
            }
            int skip = -rel;
            deliver(data, offset + skip, length - skip, tsMicros, consumer);
            drain(tsMicros, consumer);
            return;
        }
        if (!buffer(next + rel, data, offset, length)) {
            skipHole(Math.min(count > 0 ? starts[0] : Long.MAX_VALUE, next + rel), tsMicros, consumer);
            rel = seq - nextRaw;
            if (rel <= 0) {
                segment(seq, data, offset, length, tsMicros, consumer);
            } else {
                skipHole(next + rel, tsMicros, consumer);
                deliver(data, offset, length, tsMicros, consumer);
                drain(tsMicros, consumer);
            }
        }
    }

    /** The peer acknowledged up to {@code ack}: a hole it covers was received but never captured. */
    public void acked(int ack, long tsMicros, StreamConsumer consumer) {
        if (!started || count == 0) {
            return;
        }
        long ackOffset = next + (ack - nextRaw);
        if (ackOffset > next) {
            skipHole(Math.min(ackOffset, starts[0]), tsMicros, consumer);
        }
    }

    /**
     * The connection ended: buffered pieces are delivered with gaps for the holes, and bytes the peer
     * acknowledged beyond the data seen count as a final gap ({@code ack} is the peer's highest ack,
     * {@code finSent} whether this direction sent a FIN, whose octet the ack also covers).
     */
    public void finish(boolean haveAck, int ack, boolean finSent, long tsMicros, StreamConsumer consumer) {
        while (count > 0) {
            skipHole(starts[0], tsMicros, consumer);
        }
        if (haveAck && started) {
            long end = next + (ack - nextRaw) - (finSent ? 1 : 0);
            if (end > next && end - next < Integer.MAX_VALUE) {
                long gap = end - next;
                missed += gap;
                advance(gap);
                consumer.gap(this, gap);
            }
        }
    }

    /** Bytes delivered in order so far. */
    public long delivered() {
        return delivered;
    }

    /** Bytes declared missing so far. */
    public long missed() {
        return missed;
    }

    /** Out-of-order bytes held now. */
    public int bufferedBytes() {
        return bufferedBytes;
    }

    private void deliver(MemorySegment data, long offset, int length, long ts, StreamConsumer consumer) {
        advance(length);
        delivered += length;
        consumer.data(this, data, offset, length, ts);
    }

    private void advance(long n) {
        next += n;
        nextRaw += (int) n;
    }

    private void skipHole(long to, long ts, StreamConsumer consumer) {
        if (to > next) {
            long gap = to - next;
            missed += gap;
            advance(gap);
            consumer.gap(this, gap);
        }
        drain(ts, consumer);
    }

    private void drain(long ts, StreamConsumer consumer) {
        while (count > 0 && starts[0] <= next) {
            MemorySegment piece = pieces[0];
            long start = starts[0];
            removeFirst();
            long end = start + piece.byteSize();
            if (end > next) {
                int skip = (int) (next - start);
                deliver(piece, skip, (int) piece.byteSize() - skip, ts, consumer);
            }
        }
    }

    private void removeFirst() {
        int size = (int) pieces[0].byteSize();
        bufferedBytes -= size;
        budget.release(size);
        System.arraycopy(starts, 1, starts, 0, count - 1);
        System.arraycopy(pieces, 1, pieces, 0, count - 1);
        pieces[--count] = null;
    }

    /** Buffers the parts of [start, start+length) not yet held; false when a limit refuses it. */
    private boolean buffer(long start, MemorySegment data, long offset, int length) {
        long end = start + length;
        long cursor = start;
        int i = 0;
        while (cursor < end) {
            while (i < count && starts[i] + pieces[i].byteSize() <= cursor) {
                i++;
            }
            long pieceEnd = i < count ? Math.min(end, starts[i]) : end;
            if (i < count && starts[i] <= cursor) {
                cursor = starts[i] + pieces[i].byteSize();
                continue;
            }
            if (pieceEnd > cursor) {
                if (!insert(i, cursor, data, offset + (cursor - start), (int) (pieceEnd - cursor))) {
                    return false;
                }
                i++;
            }
            cursor = pieceEnd;
        }
        return true;
    }

    private boolean insert(int at, long start, MemorySegment data, long offset, int length) {
        if (count == MAX_SEGMENTS || bufferedBytes + length > MAX_BUFFERED_BYTES || !budget.reserve(length)) {
            return false;
        }
        if (count == starts.length) {
            int n = Math.max(4, count * 2);
            starts = Arrays.copyOf(starts, n);
            pieces = Arrays.copyOf(pieces, n);
        }
        byte[] copy = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, copy, 0, length);
        System.arraycopy(starts, at, starts, at + 1, count - at);
        System.arraycopy(pieces, at, pieces, at + 1, count - at);
        starts[at] = start;
        pieces[at] = MemorySegment.ofArray(copy);
        count++;
        bufferedBytes += length;
        return true;
    }

    /** Releases buffered memory without delivering it (flow dropped). */
    public void discard() {
        while (count > 0) {
            removeFirst();
        }
    }
}
