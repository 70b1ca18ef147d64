package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Bytes an analyzer must keep past the call that delivered them (a message split across segments,
 * bytes held while a protocol switch is pending, undecided bytes during detection): a byte array
 * that grows on demand up to a hard limit, with a {@link MemorySegment} view so the kept bytes are
 * read like any delivered ones.
 */
public final class SegmentBuffer {

    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_CAPACITY = 256;

    private final int limit;
    private byte[] bytes = EMPTY;
    private MemorySegment segment = MemorySegment.ofArray(EMPTY);
    private int length;

    /** A buffer that never holds more than {@code limit} bytes. */
    public SegmentBuffer(int limit) {
        this.limit = limit;
    }

    /** Appends {@code n} bytes of {@code src} from {@code at}; false, appending nothing, when the limit would be passed. */
    public boolean append(MemorySegment src, long at, int n) {
        if (n > limit - length) {
            return false;
        }
        if (bytes.length < length + n) {
            int capacity = Math.max(MIN_CAPACITY, bytes.length);
            while (capacity < length + n) {
                capacity <<= 1;
            }
            bytes = Arrays.copyOf(bytes, Math.min(capacity, limit));
            segment = MemorySegment.ofArray(bytes);
        }
        MemorySegment.copy(src, at, segment, length, n);
        length += n;
        return true;
    }

    /** Bytes held. */
    public int length() {
        return length;
    }

    /** The held bytes from offset 0, valid until the next append. */
    public MemorySegment segment() {
        return segment;
    }

    /** A copy of the held bytes as a segment, for replaying them while this buffer may be appended to again. */
    public MemorySegment snapshot() {
        return MemorySegment.ofArray(Arrays.copyOf(bytes, length));
    }

    /** Forgets the bytes, keeping the capacity. */
    public void clear() {
        length = 0;
    }

    /** Forgets the bytes and the capacity. */
    public void release() {
        bytes = EMPTY;
        segment = MemorySegment.ofArray(EMPTY);
        length = 0;
    }
}
