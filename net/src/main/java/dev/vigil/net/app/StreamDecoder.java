package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Frames one direction of a reassembled byte stream for a message parser, copying only what must
 * outlive a call to {@link AppAnalyzer#data}.
 *
 * <p>Design (after Netty's {@code ByteToMessageDecoder}, without its unbounded cumulation): the
 * subclass's {@link #decode} looks at the bytes from {@code offset} and either consumes a prefix
 * (returns the count, updating its own state) or asks for more by returning {@link #needMore(int)}
 * with the total number of bytes it must see from {@code offset}, leaving its state unchanged. When
 * the input holds whole messages they are decoded in place, with no copy; only the tail of a
 * message that spans calls is copied, and only as many bytes as the parser asked for, into a buffer
 * that grows on demand up to {@code capacity}. Large bodies the parser does not need are passed over
 * with {@link #skip(long)}, never buffered.
 *
 * <p>A parser must never ask for more than {@code capacity} bytes: it checks its own length limits
 * first and skips or stops. Asking for more anyway, or consuming more than it was given, is an
 * internal error reported through {@link #overflow} and stops the decoder. After {@link #stop()} the
 * rest of the stream is ignored.
 */
public abstract class StreamDecoder {

    private static final int INITIAL_BUFFER = 256;

    private final int capacity;
    private byte[] buffer;
    private MemorySegment bufferSegment;
    private int buffered;
    private int needed;
    private long skip;
    private boolean stopped;

    /** @param capacity the most bytes a single {@link #decode} call may ask to see at once */
    protected StreamDecoder(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Decodes what it can from {@code length} bytes at {@code offset} and returns how many it consumed
     * ({@code 1..length}), or {@link #needMore(int)} without changing state. The segment is valid only
     * during the call.
     */
    protected abstract int decode(MemorySegment in, long offset, int length);

    /** Reports an internal framing error (a request beyond capacity, or overconsumption); the decoder then stops. */
    protected abstract void overflow(String detail);

    /** The return value of {@link #decode} that asks to see {@code total} bytes from its offset. */
    protected static int needMore(int total) {
        return -Math.max(total, 1);
    }

    /** Passes over the next {@code bytes} bytes of the stream without decoding them. */
    protected final void skip(long bytes) {
        if (bytes > 0) {
            skip += bytes;
        }
    }

    /** Ignores the rest of the stream. */
    public final void stop() {
        stopped = true;
        buffered = 0;
        skip = 0;
    }

    public final boolean stopped() {
        return stopped;
    }

    /** Bytes currently held for a message that spans calls. */
    public final int buffered() {
        return buffered;
    }

    /** Drops any partial message and pending skip, e.g. after a gap; the subclass resets its own state. */
    protected final void discard() {
        buffered = 0;
        needed = 0;
        skip = 0;
    }

    /** Feeds the next {@code length} in-order bytes of the stream. */
    public final void feed(MemorySegment in, long offset, int length) {
        while (!stopped) {
            if (buffered > 0) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, buffered);
                    dropFront(n);
                    skip -= n;
                    continue;
                }
                if (buffered < needed) {
                    if (length == 0) {
                        return;
                    }
                    int take = Math.min(length, needed - buffered);
                    append(in, offset, take);
                    offset += take;
                    length -= take;
                    if (buffered < needed) {
                        return;
                    }
                }
                int r = decode(bufferSegment, 0, buffered);
                if (!accept(r, buffered)) {
                    return;
                }
                if (r > 0) {
                    dropFront(r);
                    needed = 0;
                }
                continue;
            }
            if (length == 0) {
                return;
            }
            if (skip > 0) {
                int n = (int) Math.min(skip, length);
                skip -= n;
                offset += n;
                length -= n;
                continue;
            }
            int r = decode(in, offset, length);
            if (!accept(r, length)) {
                return;
            }
            if (r > 0) {
                offset += r;
                length -= r;
            } else {
                append(in, offset, length);
                return;
            }
        }
    }

    /** Validates a decode result; on need-more records how much is needed. False when the decoder stopped. */
    private boolean accept(int r, int available) {
        if (stopped) {
            return false;
        }
        if (r > available) {
            fail("decoder consumed " + r + " of " + available + " bytes");
            return false;
        }
        if (r > 0) {
            return true;
        }
        int want = r == 0 ? available + 1 : -r;
        if (want <= available) {
            fail("decoder asked for " + want + " bytes with " + available + " available");
            return false;
        }
        if (want > capacity) {
            fail("message needs " + want + " bytes, over the buffer capacity " + capacity);
            return false;
        }
        needed = want;
        return true;
    }

    private void fail(String detail) {
        stop();
        overflow(detail);
    }

    private void append(MemorySegment in, long offset, int length) {
        int size = buffered + length;
        if (buffer == null || buffer.length < size) {
            int grown = buffer == null ? INITIAL_BUFFER : buffer.length * 2;
            byte[] next = new byte[Math.min(capacity, Math.max(grown, Math.max(size, needed)))];
            if (buffered > 0) {
                System.arraycopy(buffer, 0, next, 0, buffered);
            }
            buffer = next;
            bufferSegment = MemorySegment.ofArray(next);
        }
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, offset, buffer, buffered, length);
        buffered = size;
    }

    private void dropFront(int n) {
        int rest = buffered - n;
        if (rest > 0) {
            System.arraycopy(buffer, n, buffer, 0, rest);
        }
        buffered = rest;
    }
}
