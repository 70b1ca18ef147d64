package dev.vigil.detect.baseline;

/**
 * Hashes for allocation-free lookups of keys made of strings an event already holds: 64-bit FNV-1a
 * over UTF-16 code units (one multiply per character), folded in part by part so that a key made of
 * several strings is hashed without building it. Baselines keep these hashes in {@link LongSet}s;
 * detectors key their per-pod state with them. At 64 bits a false "known" needs a collision among at
 * most a few thousand entries per set, about 1 in 10^12.
 */
public final class Fnv {

    public static final long START = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    /** Between the parts of a key, so that ("ab", "c") and ("a", "bc") differ. */
    public static final char SEP = '\u001f';

    private Fnv() {
    }

    public static long add(long h, char c) {
        return (h ^ c) * PRIME;
    }

    public static long add(long h, CharSequence s) {
        return add(h, s, 0, s.length());
    }

    public static long add(long h, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            h = add(h, s.charAt(i));
        }
        return h;
    }

    /** Adds {@code s} lower-cased (ASCII), for names compared without case. */
    public static long addLower(long h, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            h = add(h, c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return h;
    }

    /** Adds a number as its decimal text, so that the hash equals that of the text. */
    public static long addNumber(long h, long n) {
        if (n < 0) {
            h = add(h, '-');
            n = -n;
        }
        long scale = 1;
        while (scale <= n / 10) {
            scale *= 10;
        }
        for (; scale > 0; scale /= 10) {
            h = add(h, (char) ('0' + n / scale % 10));
        }
        return h;
    }

    /** Adds a separator then {@code s}; null adds the separator only. */
    public static long part(long h, CharSequence s) {
        h = add(h, SEP);
        return s == null ? h : add(h, s);
    }
}
