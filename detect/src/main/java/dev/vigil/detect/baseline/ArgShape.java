package dev.vigil.detect.baseline;

import java.util.List;

/**
 * The shape of a command line: its arguments with the parts that change from run to run replaced
 * by placeholders, so that a baseline learns {@code worker --id <n> --tmp <tmp>} once instead of
 * one entry per run.
 *
 * <p>Arguments after argv[0] are joined by single spaces. An argument under {@code /tmp/} or
 * {@code /var/tmp/} becomes {@code <tmp>}. Otherwise each word (a run of ASCII letters and digits)
 * is replaced when it is
 * <ul>
 *   <li>all digits: {@code <n>} ({@code --port=8080} → {@code --port=<n>}, {@code 1.27} → {@code <n>.<n>});</li>
 *   <li>the first group of a UUID ({@code 8-4-4-4-12} hex digits): the whole UUID becomes {@code <uuid>};</li>
 *   <li>hex digits only, mixing digits and letters, at least {@value #HEX_MIN_LENGTH} long (container
 *       and commit ids, hashes): {@code <hex>}.</li>
 * </ul>
 * Other characters are kept. At most {@link #MAX_ARGS} arguments and {@link #MAX_ARG_CHARS}
 * characters of each are shaped; more arguments add {@code <more>}, a longer argument is cut and
 * ends in {@code <cut>}.
 *
 * <p>{@link #hash} computes the hash of the shape text without building it (the same walk with no
 * text sink), so that checking a known command line allocates nothing; {@link #textHash} of the
 * text gives the same value, which is how shapes read from a policy file are indexed.
 */
public final class ArgShape {

    /** Arguments shaped per command line. */
    public static final int MAX_ARGS = 32;
    /** Characters shaped per argument. */
    public static final int MAX_ARG_CHARS = 256;
    /** Shortest hex word that is an id even without letters mixed in (plain digits are {@code <n>} anyway). */
    static final int HEX_MIN_LENGTH = 4;

    private static final String TMP = "<tmp>";
    private static final String NUMBER = "<n>";
    private static final String HEX = "<hex>";
    private static final String UUID = "<uuid>";
    private static final String MORE = "<more>";
    private static final String CUT = "<cut>";
    private static final int[] UUID_GROUPS = {8, 4, 4, 4, 12};

    private ArgShape() {
    }

    /** The shape text of {@code args} (argv, argv[0] skipped). */
    public static String text(List<String> args) {
        StringBuilder b = new StringBuilder(64);
        walk(0, args, b);
        return b.toString();
    }

    /** The hash of the shape of {@code args} continued from {@code seed}; allocates nothing. */
    static long hash(long seed, List<String> args) {
        return walk(seed, args, null);
    }

    /** The hash of a shape text continued from {@code seed}, equal to {@link #hash} of arguments of that shape. */
    static long textHash(long seed, CharSequence shape) {
        return Fnv.add(seed, shape);
    }

    private static long walk(long h, List<String> args, StringBuilder text) {
        if (args == null) {
            return h;
        }
        int n = args.size();
        for (int i = 1; i < n; i++) {
            if (i > 1) {
                h = emit(h, text, ' ');
            }
            if (i > MAX_ARGS) {
                return emit(h, text, MORE);
            }
            h = arg(h, args.get(i), text);
        }
        return h;
    }

    private static long arg(long h, String a, StringBuilder text) {
        if (a.startsWith("/tmp/") || a.startsWith("/var/tmp/")) {
            return emit(h, text, TMP);
        }
        int end = Math.min(a.length(), MAX_ARG_CHARS);
        int i = 0;
        while (i < end) {
            char c = a.charAt(i);
            if (!isWordChar(c)) {
                h = emit(h, text, c);
                i++;
                continue;
            }
            int uuidEnd = uuidEnd(a, i, end);
            if (uuidEnd > 0) {
                h = emit(h, text, UUID);
                i = uuidEnd;
                continue;
            }
            int j = i;
            boolean digitsOnly = true;
            boolean hexOnly = true;
            boolean anyDigit = false;
            while (j < end && isWordChar(a.charAt(j))) {
                char w = a.charAt(j);
                boolean digit = w >= '0' && w <= '9';
                anyDigit |= digit;
                digitsOnly &= digit;
                hexOnly &= digit || (w >= 'a' && w <= 'f') || (w >= 'A' && w <= 'F');
                j++;
            }
            if (digitsOnly) {
                h = emit(h, text, NUMBER);
            } else if (hexOnly && anyDigit && j - i >= HEX_MIN_LENGTH) {
                h = emit(h, text, HEX);
            } else {
                h = emit(h, text, a, i, j);
            }
            i = j;
        }
        if (a.length() > MAX_ARG_CHARS) {
            h = emit(h, text, CUT);
        }
        return h;
    }

    /** The end of a UUID starting at {@code from}, or -1. */
    private static int uuidEnd(String a, int from, int end) {
        int i = from;
        for (int g = 0; g < UUID_GROUPS.length; g++) {
            if (g > 0) {
                if (i >= end || a.charAt(i) != '-') {
                    return -1;
                }
                i++;
            }
            for (int k = 0; k < UUID_GROUPS[g]; k++, i++) {
                if (i >= end || !isHex(a.charAt(i))) {
                    return -1;
                }
            }
        }
        return i < end && isWordChar(a.charAt(i)) ? -1 : i;
    }

    private static boolean isWordChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static long emit(long h, StringBuilder text, char c) {
        if (text != null) {
            text.append(c);
        }
        return Fnv.add(h, c);
    }

    private static long emit(long h, StringBuilder text, String s) {
        if (text != null) {
            text.append(s);
        }
        return Fnv.add(h, s);
    }

    private static long emit(long h, StringBuilder text, String s, int from, int to) {
        if (text != null) {
            text.append(s, from, to);
        }
        return Fnv.add(h, s, from, to);
    }
}
