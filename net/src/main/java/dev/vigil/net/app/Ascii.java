package dev.vigil.net.app;

import java.nio.charset.StandardCharsets;

/**
 * ASCII helpers that work on bytes, so parsers match header names and tokens without building
 * Strings: case-insensitive comparison against a lower-case constant, and bounded decimal parsing.
 */
public final class Ascii {

    private Ascii() {
    }

    /** The bytes of an ASCII constant, for matching with {@link #equalsIgnoreCase}. */
    public static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code b} in lower case when it is an ASCII upper-case letter. */
    public static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    /** Whether {@code length} bytes at {@code offset} equal {@code lowerCase} ignoring ASCII case. */
    public static boolean equalsIgnoreCase(byte[] bytes, int offset, int length, byte[] lowerCase) {
        if (length != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(bytes[offset + i]) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes} starting at {@code offset} begin with {@code lowerCase} ignoring ASCII case. */
    public static boolean startsWithIgnoreCase(byte[] bytes, int offset, int length, byte[] lowerCase) {
        return length >= lowerCase.length && equalsIgnoreCase(bytes, offset, lowerCase.length, lowerCase);
    }

    /** Whether the token {@code lowerCase} occurs in a comma-separated list, ignoring case and blanks. */
    public static boolean listContainsIgnoreCase(byte[] bytes, int offset, int length, byte[] lowerCase) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            while (i < end && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == ',')) {
                i++;
            }
            int start = i;
            while (i < end && bytes[i] != ',') {
                i++;
            }
            int stop = i;
            while (stop > start && (bytes[stop - 1] == ' ' || bytes[stop - 1] == '\t')) {
                stop--;
            }
            if (stop > start && equalsIgnoreCase(bytes, start, stop - start, lowerCase)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A non-negative decimal of at most {@code maxDigits} digits, or -1 when the bytes are empty, hold
     * anything but digits, or are longer.
     */
    public static long parseDecimal(byte[] bytes, int offset, int length, int maxDigits) {
        if (length == 0 || length > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < length; i++) {
            int d = bytes[offset + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
