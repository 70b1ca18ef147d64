package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Collects one text line (up to LF, CR stripped) from input that may arrive in any number of pieces,
 * for line-oriented protocols (HTTP/1.x, SMTP). The line is copied into a buffer that grows up to a
 * hard limit, so parsers read it with byte-array helpers such as {@link Ascii}.
 */
public final class LineBuffer {

    /** {@link #take} consumed everything without finding the end of the line. */
    public static final long NEED_MORE = -1;
    /** {@link #take} found the line longer than the limit. */
    public static final long TOO_LONG = -2;

    private final int limit;
    private byte[] line = new byte[128];
    /** Bytes of the line being collected. */
    private int length;
    /** Length of the last complete line. */
    private int complete;

    /** A buffer for lines of at most {@code limit} bytes, CR and LF not counted. */
    public LineBuffer(int limit) {
        this.limit = limit;
    }

    /**
     * Takes bytes from {@code [at, end)} up to and including the next LF. Returns the position after
     * the LF when a line is complete ({@link #bytes()} and {@link #length()} hold it until the next
     * call), {@link #NEED_MORE}, or {@link #TOO_LONG}.
     */
    public long take(MemorySegment bytes, long at, long end) {
        long lf = Bytes.indexOf(bytes, at, end, '\n');
        long stop = lf < 0 ? end : lf;
        int n = (int) (stop - at);
        if (length + n > limit + 1) {
            length = 0;
            return TOO_LONG;
        }
        if (line.length < length + n) {
            line = Arrays.copyOf(line, Math.min(limit + 1, Math.max(line.length * 2, length + n)));
        }
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, line, length, n);
        length += n;
        if (lf < 0) {
            return NEED_MORE;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length > limit) {
            length = 0;
            return TOO_LONG;
        }
        complete = length;
        length = 0;
        return lf + 1;
    }

    /** The buffer holding the last complete line from index 0. */
    public byte[] bytes() {
        return line;
    }

    /** The length of the last complete line, without CR and LF. */
    public int length() {
        return complete;
    }
}
