package dev.vigil.detect.rules.expr;

/**
 * String operations on {@link CharSequence}s with libsinsp's semantics and no allocation: field
 * values may be reusable buffers rather than Strings. Case folding is ASCII-only, as
 * {@code strcasestr} in the C locale.
 */
final class Chars {

    private Chars() {
    }

    static boolean equals(CharSequence a, String b) {
        return a instanceof String s ? s.equals(b) : b.contentEquals(a);
    }

    static int indexOf(CharSequence hay, String needle) {
        if (hay instanceof String s) {
            return s.indexOf(needle);
        }
        int n = needle.length();
        int last = hay.length() - n;
        if (n == 0) {
            return 0;
        }
        char first = needle.charAt(0);
        outer:
        for (int i = 0; i <= last; i++) {
            if (hay.charAt(i) != first) {
                continue;
            }
            for (int k = 1; k < n; k++) {
                if (hay.charAt(i + k) != needle.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean startsWith(CharSequence v, String prefix) {
        if (v instanceof String s) {
            return s.startsWith(prefix);
        }
        int n = prefix.length();
        if (v.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (v.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean endsWith(CharSequence v, String suffix) {
        if (v instanceof String s) {
            return s.endsWith(suffix);
        }
        int n = suffix.length();
        int off = v.length() - n;
        if (off < 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (v.charAt(off + i) != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code strcasestr}: {@code lowerNeedle} must already be ASCII-lower-cased. */
    static boolean containsIgnoreCase(CharSequence hay, String lowerNeedle) {
        int n = lowerNeedle.length();
        int last = hay.length() - n;
        outer:
        for (int i = 0; i <= last; i++) {
            for (int k = 0; k < n; k++) {
                if (lower(hay.charAt(i + k)) != lowerNeedle.charAt(k)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code strcmp} order on UTF-16 units (equal to byte order for ASCII). */
    static int compare(CharSequence a, String b) {
        if (a instanceof String s) {
            return s.compareTo(b);
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            int d = a.charAt(i) - b.charAt(i);
            if (d != 0) {
                return d;
            }
        }
        return a.length() - b.length();
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    static String lower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            b.append(lower(s.charAt(i)));
        }
        return b.toString();
    }

    /** The hash {@link String#hashCode()} gives for the same characters, over {@code [from, to)}. */
    static int hash(CharSequence s, int from, int to) {
        if (s instanceof String str && from == 0 && to == str.length()) {
            return str.hashCode();
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    static boolean regionEquals(CharSequence s, int from, int to, String key) {
        if (to - from != key.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != key.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }
}
