package dev.vigil.detect.rules.expr;

import dev.vigil.detect.rules.fields.Field;
import dev.vigil.detect.rules.fields.FieldSource;
import dev.vigil.detect.rules.fields.StrAccessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Compiles a macro-free condition tree into a {@link Cond} over one {@link FieldSource}: fields are
 * resolved to their accessors, constant operands are converted to the field's type (numbers,
 * booleans {@code true}/{@code false}, strings) and compiled (hash sets for {@code in}, a path trie
 * for {@code pmatch}, patterns for {@code glob} and {@code regex}).
 *
 * <p>Fields the source does not have do not stop compilation: they are collected in
 * {@link Result#missingFields()} so a loader can report every field a rule needs. Type errors (an
 * operator a field type does not support, a value that does not parse) throw, with Falco's wording.
 */
public final class ConditionCompiler<C> {

    /**
     * The compiled condition, or null when fields are missing.
     *
     * @param missingFields the fields, as written, that the source does not provide
     */
    public record Result<C>(Cond<C> cond, Set<String> missingFields) {
    }

    private final FieldSource<C> source;
    private final Set<String> missing = new LinkedHashSet<>();

    private ConditionCompiler(FieldSource<C> source) {
        this.source = source;
    }

    /** Compiles {@code expr} (macros already expanded) against {@code source}. */
    public static <C> Result<C> compile(Expr expr, FieldSource<C> source) throws ConditionException {
        ConditionCompiler<C> c = new ConditionCompiler<>(source);
        Cond<C> cond = c.node(expr);
        return c.missing.isEmpty() ? new Result<>(cond, Set.of()) : new Result<>(null, java.util.Collections.unmodifiableSet(c.missing));
    }

    /**
     * Resolves a field or transformed field for output formatting; null when the source lacks it.
     *
     * @throws ConditionException when the field exists but cannot take the argument given
     */
    public static <C> Field<C> resolveOperand(Expr.Operand operand, FieldSource<C> source) throws ConditionException {
        ConditionCompiler<C> c = new ConditionCompiler<>(source);
        Field<C> f = c.field(operand);
        return c.missing.isEmpty() ? f : null;
    }

    private Cond<C> node(Expr e) throws ConditionException {
        return switch (e) {
            case Expr.And a -> {
                List<Cond<C>> kids = new ArrayList<>();
                for (Expr k : a.children()) {
                    kids.add(node(k));
                }
                yield new Cond.And<>(kids);
            }
            case Expr.Or o -> {
                List<Cond<C>> kids = new ArrayList<>();
                for (Expr k : o.children()) {
                    kids.add(node(k));
                }
                kids = mergeContains(kids);
                yield kids.size() == 1 ? kids.getFirst() : new Cond.Or<>(kids);
            }
            case Expr.Not n -> new Cond.Not<>(node(n.child()));
            case Expr.Identifier id -> throw new ConditionException(
                    "Undefined macro '" + id.name() + "' used in filter.", id.pos());
            case Expr.Check check -> check(check);
        };
    }

    /**
     * Replaces the {@code contains} (and, separately, {@code icontains}) checks of one field among
     * the children of an {@code or} by one check that scans the value once ({@link MultiContains}).
     */
    private static <C> List<Cond<C>> mergeContains(List<Cond<C>> kids) {
        Map<Object, List<String>> needles = new LinkedHashMap<>();
        Map<Object, Integer> firstAt = new HashMap<>();
        for (int i = 0; i < kids.size(); i++) {
            if (kids.get(i) instanceof Cond.StrTest<C> t && !t.bucketKey && containsNeedle(t.matcher) != null) {
                Object key = List.of(t.field, t.matcher instanceof StrMatcher.IContains);
                needles.computeIfAbsent(key, k -> new ArrayList<>()).add(containsNeedle(t.matcher));
                firstAt.putIfAbsent(key, i);
            }
        }
        List<Cond<C>> out = new ArrayList<>(kids.size());
        for (int i = 0; i < kids.size(); i++) {
            Cond<C> k = kids.get(i);
            if (k instanceof Cond.StrTest<C> t && !t.bucketKey && containsNeedle(t.matcher) != null) {
                Object key = List.of(t.field, t.matcher instanceof StrMatcher.IContains);
                List<String> group = needles.get(key);
                if (group.size() > 1 && MultiContains.fits(group)) {
                    if (firstAt.get(key) == i) {
                        out.add(new Cond.StrTest<>((Field.Str<C>) t.field,
                                new MultiContains(group, t.matcher instanceof StrMatcher.IContains), false));
                    }
                    continue;
                }
            }
            out.add(k);
        }
        return out;
    }

    private static String containsNeedle(StrMatcher m) {
        return switch (m) {
            case StrMatcher.Contains c -> c.needle;
            case StrMatcher.IContains c -> c.lowerNeedle;
            default -> null;
        };
    }

    private Cond<C> check(Expr.Check check) throws ConditionException {
        Field<C> left = field(check.left());
        Field<C> rightField = check.right() instanceof Expr.Transform t ? field(t.function().equals("val") ? t.arg() : t) : null;
        if (left == null || (check.right() instanceof Expr.Transform && rightField == null)) {
            return Cond.constant(false);
        }
        boolean bucketKey = left == source.bucketKey();
        String op = check.op();
        if (op.equals("exists")) {
            return new Cond.Exists<>(left, bucketKey);
        }
        if (rightField != null) {
            return fieldCompare(left, op, rightField, check.pos());
        }
        List<String> values = switch (check.right()) {
            case Expr.Value v -> List.of(v.text());
            case Expr.ValueList l -> l.values();
            default -> throw new ConditionException("unexpected right-hand side", check.pos());
        };
        try {
            return switch (left) {
                case Field.Str<C> s -> new Cond.StrTest<>(s, StrMatcher.of(op, values), bucketKey);
                case Field.MultiStr<C> m -> new Cond.AnyStrTest<>(m, StrMatcher.of(op, values));
                case Field.Num<C> n -> new Cond.NumTest<>(n, NumMatcher.of(op, numbers(n, values)));
            };
        } catch (IllegalArgumentException ex) {
            throw new ConditionException(ex.getMessage(), check.pos());
        }
    }

    private Cond<C> fieldCompare(Field<C> left, String op, Field<C> right, Pos pos) throws ConditionException {
        if (left instanceof Field.Str<C> a && right instanceof Field.Str<C> b) {
            if (op.equals("pmatch") || op.equals("regex") || op.startsWith("b")) {
                throw new ConditionException("operator '" + op + "' does not take a field value", pos);
            }
            return new Cond.StrFieldCompare<>(a, op, b);
        }
        if (left instanceof Field.Num<C> a && right instanceof Field.Num<C> b) {
            NumMatcher.of(op, new long[] {0});
            return new Cond.NumFieldCompare<>(a, op, b);
        }
        throw new ConditionException("field " + left.name() + " and field " + right.name()
                + " have different types and cannot be compared", pos);
    }

    private long[] numbers(Field.Num<C> field, List<String> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = field.bool() ? bool(field, values.get(i)) : number(field, values.get(i));
        }
        if (out.length == 0) {
            throw new IllegalArgumentException("field " + field.name() + " compared with an empty value list");
        }
        return out;
    }

    private static long bool(Field<?> field, String v) {
        return switch (v) {
            case "true" -> 1;
            case "false" -> 0;
            default -> throw new IllegalArgumentException("could not parse '" + v + "' as a boolean for field "
                    + field.name() + ": use true or false");
        };
    }

    private static long number(Field<?> field, String v) {
        String s = v.strip();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("could not parse '" + v + "' as a number for field " + field.name());
        }
    }

    private Field<C> field(Expr.Operand operand) throws ConditionException {
        return switch (operand) {
            case Expr.Field f -> {
                Field<C> resolved;
                try {
                    resolved = source.resolve(f.name(), f.arg());
                } catch (IllegalArgumentException e) {
                    throw new ConditionException(e.getMessage(), f.pos());
                }
                if (resolved == null) {
                    missing.add(f.display());
                }
                yield resolved;
            }
            case Expr.Transform t -> transform(t);
            default -> throw new ConditionException("expected a field", Pos.START);
        };
    }

    private Field<C> transform(Expr.Transform t) throws ConditionException {
        Field<C> inner = field(t.arg());
        if (inner == null) {
            return null;
        }
        if (!(inner instanceof Field.Str<C> str)) {
            throw new ConditionException("transformer '" + t.function() + "' needs a single string field, not "
                    + inner.name(), t.pos());
        }
        StrAccessor<C> in = str.accessor();
        String name = t.function() + "(" + inner.name() + ")";
        StrAccessor<C> out = switch (t.function()) {
            case "tolower" -> ctx -> map(in.get(ctx), true);
            case "toupper" -> ctx -> map(in.get(ctx), false);
            case "basename" -> ctx -> basename(in.get(ctx));
            case "b64" -> ctx -> base64(in.get(ctx));
            default -> throw new ConditionException("unknown transformer '" + t.function() + "'", t.pos());
        };
        return new Field.Str<>(name, out, inner.bucket());
    }

    private static CharSequence map(CharSequence v, boolean lower) {
        if (v == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            b.append(lower ? Chars.lower(c) : (c >= 'a' && c <= 'z' ? (char) (c - 32) : c));
        }
        return b;
    }

    private static CharSequence basename(CharSequence v) {
        if (v == null) {
            return null;
        }
        int end = v.length();
        int slash = -1;
        for (int i = end - 1; i >= 0; i--) {
            if (v.charAt(i) == '/') {
                slash = i;
                break;
            }
        }
        return v.subSequence(slash + 1, end);
    }

    private static CharSequence base64(CharSequence v) {
        if (v == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(v.toString()), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
