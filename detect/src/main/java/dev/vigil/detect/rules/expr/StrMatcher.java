package dev.vigil.detect.rules.expr;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A string comparison with its constant operand compiled: libsinsp's {@code flt_compare} for
 * character buffers, one subclass per operator. {@link #values()} exposes the finite set of values
 * an equality-like matcher accepts, which the rule set uses to index rules by event type.
 */
abstract class StrMatcher {

    abstract boolean matches(CharSequence v);

    /** The exact values this matcher accepts when it is {@code =}/{@code in}; null otherwise. */
    Set<String> values() {
        return null;
    }

    /** The exact value this matcher rejects when it is {@code !=}; null otherwise. */
    String rejected() {
        return null;
    }

    static StrMatcher of(String op, List<String> operands) throws IllegalArgumentException {
        String v = operands.isEmpty() ? null : operands.getFirst();
        return switch (op) {
            case "=", "==" -> new Eq(v);
            case "!=" -> new Ne(v);
            case "in", "intersects" -> new In(operands);
            case "contains" -> new Contains(v);
            case "icontains" -> new IContains(v);
            case "startswith" -> new StartsWith(v);
            case "endswith" -> new EndsWith(v);
            case "glob" -> new GlobMatch(v, false);
            case "iglob" -> new GlobMatch(v, true);
            case "pmatch" -> new Pmatch(operands);
            case "regex" -> new Regex(v);
            case "bcontains" -> new BContains(hex(v), false);
            case "bstartswith" -> new BContains(hex(v), true);
            case "<", "<=", ">", ">=" -> new Compare(op, v);
            default -> throw new IllegalArgumentException("unknown operator " + op);
        };
    }

    private static String hex(String v) {
        String s = v.strip();
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("bcontains/bstartswith need an even number of hex digits: " + v);
        }
        StringBuilder b = new StringBuilder(s.length() / 2);
        for (int i = 0; i < s.length(); i += 2) {
            int hi = Character.digit(s.charAt(i), 16);
            int lo = Character.digit(s.charAt(i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("invalid hex value for bcontains/bstartswith: " + v);
            }
            b.append((char) (hi << 4 | lo));
        }
        return b.toString();
    }

    static final class Eq extends StrMatcher {
        private final String value;

        Eq(String value) {
            this.value = value;
        }

        @Override
        boolean matches(CharSequence v) {
            return Chars.equals(v, value);
        }

        @Override
        Set<String> values() {
            return Set.of(value);
        }
    }

    static final class Ne extends StrMatcher {
        private final String value;

        Ne(String value) {
            this.value = value;
        }

        @Override
        boolean matches(CharSequence v) {
            return !Chars.equals(v, value);
        }

        @Override
        String rejected() {
            return value;
        }
    }

    static final class In extends StrMatcher {
        private final CharSeqSet set;

        In(List<String> values) {
            this.set = new CharSeqSet(values);
        }

        @Override
        boolean matches(CharSequence v) {
            return set.contains(v);
        }

        @Override
        Set<String> values() {
            return set.values();
        }
    }

    static final class Contains extends StrMatcher {
        final String needle;

        Contains(String needle) {
            this.needle = needle;
        }

        @Override
        boolean matches(CharSequence v) {
            return Chars.indexOf(v, needle) >= 0;
        }
    }

    static final class IContains extends StrMatcher {
        final String lowerNeedle;

        IContains(String needle) {
            this.lowerNeedle = Chars.lower(needle);
        }

        @Override
        boolean matches(CharSequence v) {
            return Chars.containsIgnoreCase(v, lowerNeedle);
        }
    }

    static final class StartsWith extends StrMatcher {
        private final String prefix;

        StartsWith(String prefix) {
            this.prefix = prefix;
        }

        @Override
        boolean matches(CharSequence v) {
            return Chars.startsWith(v, prefix);
        }
    }

    static final class EndsWith extends StrMatcher {
        private final String suffix;

        EndsWith(String suffix) {
            this.suffix = suffix;
        }

        @Override
        boolean matches(CharSequence v) {
            return Chars.endsWith(v, suffix);
        }
    }

    static final class GlobMatch extends StrMatcher {
        private final Glob glob;

        GlobMatch(String pattern, boolean fold) {
            this.glob = new Glob(pattern, fold);
        }

        @Override
        boolean matches(CharSequence v) {
            return glob.matches(v);
        }
    }

    static final class Pmatch extends StrMatcher {
        private final PathPrefixSet paths;

        Pmatch(List<String> paths) {
            this.paths = new PathPrefixSet(paths);
        }

        @Override
        boolean matches(CharSequence v) {
            return paths.matches(v);
        }
    }

    /** {@code regex}: a full match, as libsinsp's RE2 {@code FullMatch}; allocates a matcher per test. */
    static final class Regex extends StrMatcher {
        private final Pattern pattern;

        Regex(String regex) {
            this.pattern = Pattern.compile(regex);
        }

        @Override
        boolean matches(CharSequence v) {
            return pattern.matcher(v).matches();
        }
    }

    /**
     * {@code bcontains}/{@code bstartswith}: the operand's bytes (given in hex) against the value's
     * characters taken as single bytes, so ASCII text compares as its bytes.
     */
    static final class BContains extends StrMatcher {
        private final String bytes;
        private final boolean prefixOnly;

        BContains(String bytes, boolean prefixOnly) {
            this.bytes = bytes;
            this.prefixOnly = prefixOnly;
        }

        @Override
        boolean matches(CharSequence v) {
            return prefixOnly ? Chars.startsWith(v, bytes) : Chars.indexOf(v, bytes) >= 0;
        }
    }

    /** {@code < <= > >=} on strings: {@code strcmp} order. */
    static final class Compare extends StrMatcher {
        private final String value;
        private final int op;

        Compare(String op, String value) {
            this.value = value;
            this.op = switch (op) {
                case "<" -> 0;
                case "<=" -> 1;
                case ">" -> 2;
                default -> 3;
            };
        }

        @Override
        boolean matches(CharSequence v) {
            int c = Chars.compare(v, value);
            return switch (op) {
                case 0 -> c < 0;
                case 1 -> c <= 0;
                case 2 -> c > 0;
                default -> c >= 0;
            };
        }
    }
}
