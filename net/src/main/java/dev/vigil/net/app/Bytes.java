package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reads wire integers and bounded strings from a payload segment without allocating (strings
 * excepted: they are built only for values that go into a record). Offsets are absolute positions in
 * the segment; callers check bounds against the length they were given.
 */
public final class Bytes {

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** 0x01 in every byte of a word. */
    private static final long ONES = 0x0101_0101_0101_0101L;
    /** 0x80 in every byte of a word. */
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    private Bytes() {
    }

    public static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    public static int u16(MemorySegment s, long at) {
        return s.get(SHORT_BE, at) & 0xFFFF;
    }

    public static int u24(MemorySegment s, long at) {
        return (u8(s, at) << 16) | u16(s, at + 1);
    }

    /** A big-endian signed 32-bit integer. */
    public static int i32(MemorySegment s, long at) {
        return s.get(INT_BE, at);
    }

    public static long u32(MemorySegment s, long at) {
        return s.get(INT_BE, at) & 0xFFFF_FFFFL;
    }

    public static int u16le(MemorySegment s, long at) {
        return s.get(SHORT_LE, at) & 0xFFFF;
    }

    public static int u24le(MemorySegment s, long at) {
        return u8(s, at) | (u16le(s, at + 1) << 8);
    }

    public static int i32le(MemorySegment s, long at) {
        return s.get(INT_LE, at);
    }

    public static long i64le(MemorySegment s, long at) {
        return s.get(LONG_LE, at);
    }

    public static double f64le(MemorySegment s, long at) {
        return Double.longBitsToDouble(i64le(s, at));
    }

    /**
     * Position of the first {@code b} in {@code [from, to)}, or -1. Reads eight bytes at a time and
     * finds the byte with a borrow test (the lowest flagged byte of a word is the first match), so a
     * scan costs one memory access per word instead of one per byte.
     */
    public static long indexOf(MemorySegment s, long from, long to, int b) {
        long i = from;
        long pattern = (b & 0xFFL) * ONES;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = s.get(LONG_LE, i) ^ pattern;
            long zero = (x - ONES) & ~x & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        byte target = (byte) b;
        for (; i < to; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == target) {
                return i;
            }
        }
        return -1;
    }

    /** Position of the first occurrence of the ASCII {@code text} in {@code [from, to)}, or -1. */
    public static long indexOf(MemorySegment s, long from, long to, String text) {
        int n = text.length();
        int first = text.charAt(0);
        for (long i = indexOf(s, from, to - n + 1, first); i >= 0; i = indexOf(s, i + 1, to - n + 1, first)) {
            if (equalsAscii(s, i, n, text)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the {@code length} bytes at {@code at} equal the ASCII {@code text}. */
    public static boolean equalsAscii(MemorySegment s, long at, int length, String text) {
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, at + i) != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #equalsAscii} but ignores ASCII letter case; {@code text} is lower case. */
    public static boolean equalsAsciiIgnoreCase(MemorySegment s, long at, int length, String text) {
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = u8(s, at + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when every byte in {@code [from, to)} is printable ASCII (0x20..0x7e) or tab. */
    public static boolean printable(MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            int c = u8(s, i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The bytes as UTF-8 text (malformed sequences become U+FFFD), at most {@code max} bytes of them. */
    public static String utf8(MemorySegment s, long at, int length, int max) {
        return string(s, at, Math.min(length, max), StandardCharsets.UTF_8);
    }

    /** The bytes as ISO-8859-1 text, one char per byte, at most {@code max} bytes of them. */
    public static String latin1(MemorySegment s, long at, int length, int max) {
        return string(s, at, Math.min(length, max), StandardCharsets.ISO_8859_1);
    }

    private static String string(MemorySegment s, long at, int length, Charset charset) {
        if (length <= 0) {
            return "";
        }
        byte[] b = new byte[length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, b, 0, length);
        return new String(b, charset);
    }

    /** Copies {@code length} bytes into a new array (for values kept past the current call). */
    public static byte[] copy(MemorySegment s, long at, int length) {
        byte[] b = new byte[Math.max(length, 0)];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, b, 0, b.length);
        return b;
    }
}
