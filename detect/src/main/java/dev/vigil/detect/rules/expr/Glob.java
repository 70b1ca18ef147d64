package dev.vigil.detect.rules.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell pattern matched as {@code fnmatch(3)} with flags 0 does, which is what libsinsp's
 * {@code glob} operator calls: {@code *} matches any run of characters including {@code /},
 * {@code ?} one character, {@code [...]} a bracket expression ({@code !} or {@code ^} negates,
 * ranges, {@code [:alpha:]}-style classes), a backslash quotes the next character; an unterminated
 * {@code [} matches itself. {@code iglob} folds ASCII case ({@code FNM_CASEFOLD}). The pattern is
 * compiled once; matching allocates nothing.
 */
final class Glob {

    private static final int LITERAL = 0;
    private static final int ANY = 1;
    private static final int STAR = 2;
    private static final int CLASS = 3;

    private final int[] kinds;
    private final char[] literals;
    private final BracketSet[] classes;
    private final boolean fold;

    Glob(String pattern, boolean fold) {
        this.fold = fold;
        List<Integer> k = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        List<BracketSet> cls = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (k.isEmpty() || k.getLast() != STAR) {
                    add(k, lit, cls, STAR, '\0', null);
                }
                i++;
            } else if (c == '?') {
                add(k, lit, cls, ANY, '\0', null);
                i++;
            } else if (c == '\\' && i + 1 < pattern.length()) {
                add(k, lit, cls, LITERAL, fold(pattern.charAt(i + 1)), null);
                i += 2;
            } else if (c == '[') {
                int end = BracketSet.end(pattern, i);
                if (end < 0) {
                    add(k, lit, cls, LITERAL, '[', null);
                    i++;
                } else {
                    add(k, lit, cls, CLASS, '\0', new BracketSet(pattern.substring(i + 1, end), fold));
                    i = end + 1;
                }
            } else {
                add(k, lit, cls, LITERAL, fold(c), null);
                i++;
            }
        }
        kinds = k.stream().mapToInt(Integer::intValue).toArray();
        literals = lit.toString().toCharArray();
        classes = cls.toArray(BracketSet[]::new);
    }

    private static void add(List<Integer> k, StringBuilder lit, List<BracketSet> cls, int kind, char c, BracketSet set) {
        k.add(kind);
        lit.append(c);
        cls.add(set);
    }

    private char fold(char c) {
        return fold ? Chars.lower(c) : c;
    }

    boolean matches(CharSequence s) {
        return matches(s, 0, s.length());
    }

    /** Whether the region {@code [from, to)} of {@code s} matches. */
    boolean matches(CharSequence s, int from, int to) {
        int p = 0;
        int i = from;
        int starP = -1;
        int starI = -1;
        int n = to;
        while (i < n) {
            if (p < kinds.length && kinds[p] != STAR && single(p, s.charAt(i))) {
                p++;
                i++;
            } else if (p < kinds.length && kinds[p] == STAR) {
                starP = p++;
                starI = i;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < kinds.length && kinds[p] == STAR) {
            p++;
        }
        return p == kinds.length;
    }

    private boolean single(int p, char c) {
        return switch (kinds[p]) {
            case LITERAL -> literals[p] == fold(c);
            case ANY -> true;
            default -> classes[p].contains(fold(c));
        };
    }

    /** The inside of a bracket expression. */
    private static final class BracketSet {
        private final boolean negate;
        private final StringBuilder singles = new StringBuilder();
        private final StringBuilder ranges = new StringBuilder();
        private final List<String> named = new ArrayList<>();
        private final boolean fold;

        /** Index of the {@code ]} closing the bracket opened at {@code open}, or -1. */
        static int end(String p, int open) {
            int i = open + 1;
            if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
                i++;
            }
            if (i < p.length() && p.charAt(i) == ']') {
                i++;
            }
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == '\\' && i + 1 < p.length()) {
                    i += 2;
                } else if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                    int close = p.indexOf(":]", i + 2);
                    i = close < 0 ? i + 1 : close + 2;
                } else if (c == ']') {
                    return i;
                } else {
                    i++;
                }
            }
            return -1;
        }

        BracketSet(String body, boolean fold) {
            this.fold = fold;
            int i = 0;
            negate = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
            if (negate) {
                i++;
            }
            boolean first = true;
            while (i < body.length()) {
                char c = body.charAt(i);
                if (c == '[' && i + 1 < body.length() && body.charAt(i + 1) == ':' && body.indexOf(":]", i + 2) > 0) {
                    int close = body.indexOf(":]", i + 2);
                    named.add(body.substring(i + 2, close));
                    i = close + 2;
                    first = false;
                    continue;
                }
                if (c == '\\' && i + 1 < body.length()) {
                    c = body.charAt(++i);
                } else if (c == ']' && !first) {
                    break;
                }
                first = false;
                if (i + 2 < body.length() && body.charAt(i + 1) == '-' && body.charAt(i + 2) != ']') {
                    char hi = body.charAt(i + 2);
                    if (hi == '\\' && i + 3 < body.length()) {
                        hi = body.charAt(i + 3);
                        i++;
                    }
                    ranges.append(c).append(hi);
                    i += 3;
                } else {
                    singles.append(c);
                    i++;
                }
            }
        }

        boolean contains(char c) {
            return negate != has(c);
        }

        private boolean has(char c) {
            for (int i = 0; i < singles.length(); i++) {
                if (same(singles.charAt(i), c)) {
                    return true;
                }
            }
            for (int i = 0; i < ranges.length(); i += 2) {
                char lo = ranges.charAt(i);
                char hi = ranges.charAt(i + 1);
                if ((c >= lo && c <= hi) || (fold && upper(c) >= lo && upper(c) <= hi)) {
                    return true;
                }
            }
            for (String cls : named) {
                if (inClass(cls, c)) {
                    return true;
                }
            }
            return false;
        }

        private boolean same(char a, char c) {
            return a == c || (fold && Chars.lower(a) == c);
        }

        private static char upper(char c) {
            return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
        }

        private boolean inClass(String cls, char c) {
            return switch (cls) {
                case "alpha" -> Character.isLetter(c) && c < 128;
                case "digit" -> c >= '0' && c <= '9';
                case "alnum" -> (Character.isLetterOrDigit(c)) && c < 128;
                case "upper" -> (c >= 'A' && c <= 'Z') || (fold && c >= 'a' && c <= 'z');
                case "lower" -> (c >= 'a' && c <= 'z') || (fold && c >= 'A' && c <= 'Z');
                case "space" -> c == ' ' || (c >= '\t' && c <= '\r');
                case "blank" -> c == ' ' || c == '\t';
                case "punct" -> c > 32 && c < 127 && !Character.isLetterOrDigit(c);
                case "print" -> c >= 32 && c < 127;
                case "graph" -> c > 32 && c < 127;
                case "cntrl" -> c < 32 || c == 127;
                case "xdigit" -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                default -> false;
            };
        }
    }
}
