package dev.vigil.net.analysis;

import dev.vigil.net.decode.Packet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer, single-consumer queue of decoded packets from the thread that reads a
 * capture to one flow worker. An entry is the packet's header fields (a fixed stride of a
 * {@code long[]}) plus a copy of its transport payload in an off-heap byte ring, so the producer's frame
 * memory is free again at once and nothing is allocated per packet; entries are also expiry ticks and
 * the end of input. Payloads never wrap: one that does not fit before the end of the byte ring starts
 * at its beginning.
 *
 * <p>Batched: the producer makes entries visible {@link #PUBLISH_BATCH} at a time (or when it is
 * about to wait, or asked to), the consumer releases them in batches too, so the two threads touch
 * shared counters rarely. Waiting parks the thread: a full ring waits until the consumer has emptied
 * half of it, an empty one until the producer publishes (a machine with fewer cores than threads gets
 * nothing from spinning). {@link #abort} wakes both sides for good when either fails.
 *
 * <p>Limits: {@link #SLOTS} entries, {@link #DATA_BYTES} payload bytes, {@link #MAX_PAYLOAD} bytes per
 * payload (a capture record is at most 262,144 bytes, a reassembled datagram 65,535).
 */
final class PacketRing {

    /** Entries held at once. */
    static final int SLOTS = 4096;
    /** Payload bytes held at once. */
    static final long DATA_BYTES = 4L << 20;
    /** Largest payload one entry carries. */
    static final int MAX_PAYLOAD = 1 << 20;
    /** Entries the producer writes before it publishes them. */
    static final int PUBLISH_BATCH = 256;

    static final int PACKET = 0;
    static final int TICK = 1;
    static final int END = 2;

    private static final int STRIDE = 16;
    private static final long PARK_NANOS = 1_000_000;

    private final long[] slots = new long[SLOTS * STRIDE];
    private final Arena arena = Arena.ofShared();
    private final MemorySegment data = arena.allocate(DATA_BYTES, 64);

    private long tail;
    private long dataTail;
    private long releasedCache;
    private long releasedDataCache;

    private volatile long published;
    private volatile long publishedData;
    private volatile long dispatched;
    private volatile long released;
    private volatile long releasedData;
    private volatile boolean producerParked;
    private volatile boolean consumerParked;
    private volatile boolean aborted;
    private volatile Thread producer;
    private volatile Thread consumer;

    /** Appends a decoded packet of frame {@code frame}, copying its payload; waits while the ring is full. */
    void putPacket(Packet p, long frame, long mono) {
        int length = Math.max(0, p.payloadLength);
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        long start = dataTail;
        long at = start & (DATA_BYTES - 1);
        if (at + length > DATA_BYTES) {
            start += DATA_BYTES - at;
            at = 0;
        }
        long end = start + ((length + 7) & ~7L);
        reserve(end);
        if (length > 0) {
            MemorySegment.copy(p.data, p.payloadOffset, data, at, length);
        }
        int s = (int) (tail & (SLOTS - 1)) * STRIDE;
        long[] e = slots;
        e[s] = PACKET | (long) p.protocol << 8 | (long) p.ipVersion << 16 | (long) p.tcpFlags << 24
                | (long) p.window << 32;
        e[s + 1] = frame;
        e[s + 2] = mono;
        e[s + 3] = p.tsMicros;
        e[s + 4] = p.srcHi;
        e[s + 5] = p.srcLo;
        e[s + 6] = p.dstHi;
        e[s + 7] = p.dstLo;
        e[s + 8] = pair(p.wireLength, p.ipLength);
        e[s + 9] = pair(p.vlan, p.innerVlan);
        e[s + 10] = pair(p.srcPort, p.dstPort);
        e[s + 11] = pair(p.seq, p.ack);
        e[s + 12] = pair(length, p.payloadWireLength);
        e[s + 13] = at;
        e[s + 14] = end;
        dataTail = end;
        advance();
    }

    /** Appends an expiry tick (flows idle past their timeouts end before frame {@code frame}). */
    void putTick(long frame, long mono) {
        putControl(TICK, frame, mono);
    }

    /** Appends the end of input (the capture's clock at its end) and publishes. */
    void putEnd(long mono) {
        putControl(END, Long.MAX_VALUE, mono);
        dispatch(Long.MAX_VALUE);
    }

    private void putControl(int kind, long frame, long mono) {
        reserve(dataTail);
        int s = (int) (tail & (SLOTS - 1)) * STRIDE;
        slots[s] = kind;
        slots[s + 1] = frame;
        slots[s + 2] = mono;
        slots[s + 14] = dataTail;
        advance();
    }

    private static long pair(int low, int high) {
        return (low & 0xffff_ffffL) | (long) high << 32;
    }

    private void advance() {
        tail++;
        if (tail - published >= PUBLISH_BATCH) {
            publish();
        }
    }

    /** Waits until one more entry and payload bytes up to {@code dataEnd} fit. */
    private void reserve(long dataEnd) {
        if (tail + 1 - releasedCache <= SLOTS && dataEnd - releasedDataCache <= DATA_BYTES) {
            return;
        }
        while (true) {
            releasedCache = released;
            releasedDataCache = releasedData;
            if (tail + 1 - releasedCache <= SLOTS && dataEnd - releasedDataCache <= DATA_BYTES) {
                return;
            }
            publish();
            producer = Thread.currentThread();
            producerParked = true;
            if (tail + 1 - released > SLOTS || dataEnd - releasedData > DATA_BYTES) {
                checkAborted();
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            producerParked = false;
        }
    }

    /** Makes every entry appended so far visible to the consumer and wakes it if it waits. */
    void publish() {
        if (published != tail) {
            publishedData = dataTail;
            published = tail;
            if (consumerParked) {
                LockSupport.unpark(consumer);
            }
        }
    }

    /**
     * Publishes, then records that every frame below {@code frame} meant for this ring is in it: the
     * consumer's watermark once it has caught up.
     */
    void dispatch(long frame) {
        publish();
        dispatched = frame;
    }

    // ---- consumer side

    /** Frames below this (read before {@link #published()}) that are meant for this ring are all published. */
    long dispatched() {
        return dispatched;
    }

    /** Entries published so far. */
    long published() {
        return published;
    }

    /** Waits until entries beyond {@code head} are published; returns how many are, in all. */
    long await(long head) {
        long t = published;
        if (t > head) {
            return t;
        }
        consumer = Thread.currentThread();
        consumerParked = true;
        while ((t = published) <= head) {
            checkAborted();
            LockSupport.parkNanos(this, PARK_NANOS);
        }
        consumerParked = false;
        return t;
    }

    /** Hands entries below {@code head} back to the producer. */
    void release(long head) {
        if (head == released) {
            return;
        }
        long dataEnd = slots[(int) ((head - 1) & (SLOTS - 1)) * STRIDE + 14];
        releasedData = dataEnd;
        released = head;
        if (producerParked && published - head <= SLOTS / 2 && publishedData - dataEnd <= DATA_BYTES / 2) {
            LockSupport.unpark(producer);
        }
    }

    int kind(long index) {
        return (int) (slots[slot(index)] & 0xff);
    }

    long frame(long index) {
        return slots[slot(index) + 1];
    }

    long mono(long index) {
        return slots[slot(index) + 2];
    }

    /** Fills {@code p} from packet entry {@code index}; its payload stays valid until the entry is released. */
    void fill(long index, Packet p) {
        int s = slot(index);
        long[] e = slots;
        long head = e[s];
        p.protocol = (int) (head >>> 8) & 0xff;
        p.ipVersion = (int) (head >>> 16) & 0xff;
        p.tcpFlags = (int) (head >>> 24) & 0xff;
        p.window = (int) (head >>> 32);
        p.tsMicros = e[s + 3];
        p.srcHi = e[s + 4];
        p.srcLo = e[s + 5];
        p.dstHi = e[s + 6];
        p.dstLo = e[s + 7];
        p.wireLength = (int) e[s + 8];
        p.ipLength = (int) (e[s + 8] >>> 32);
        p.vlan = (int) e[s + 9];
        p.innerVlan = (int) (e[s + 9] >>> 32);
        p.srcPort = (int) e[s + 10];
        p.dstPort = (int) (e[s + 10] >>> 32);
        p.seq = (int) e[s + 11];
        p.ack = (int) (e[s + 11] >>> 32);
        p.payloadLength = (int) e[s + 12];
        p.payloadWireLength = (int) (e[s + 12] >>> 32);
        p.data = data;
        p.payloadOffset = e[s + 13];
    }

    private static int slot(long index) {
        return (int) (index & (SLOTS - 1)) * STRIDE;
    }

    // ---- both

    /** Wakes both sides for good: every later wait throws. */
    void abort() {
        aborted = true;
        Thread p = producer;
        Thread c = consumer;
        if (p != null) {
            LockSupport.unpark(p);
        }
        if (c != null) {
            LockSupport.unpark(c);
        }
    }

    private void checkAborted() {
        if (aborted) {
            throw new IllegalStateException("packet ring aborted: the other side of the analysis failed");
        }
    }

    /** Frees the payload memory; only after both sides are done. */
    void close() {
        arena.close();
    }
}
