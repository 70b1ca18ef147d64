package dev.vigil.detect.rules.expr;

import dev.vigil.detect.rules.fields.Field;
import dev.vigil.detect.rules.fields.MultiStrAccessor;
import dev.vigil.detect.rules.fields.NumAccessor;
import dev.vigil.detect.rules.fields.StrAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A compiled condition: a tree of small final nodes holding resolved field accessors and compiled
 * operands, evaluated without allocation (except {@code regex} and transformers, which build
 * strings). Checks follow libsinsp: a check on a field the event lacks is false, whatever the
 * operator ({@code !=} included), and only {@code not} turns that into true.
 *
 * <p>{@link #specialize} folds the tree for events of one bucket (event type or network log):
 * checks on the bucket key become constants and checks on fields of other buckets become false, so
 * the rule set holds per bucket only the rules that can match, each with its type tests removed.
 *
 * @param <C> the event context
 */
public abstract class Cond<C> {

    Cond() {
    }

    /** Whether the event bound to {@code ctx} satisfies the condition. */
    public abstract boolean test(C ctx);

    /**
     * This condition for events whose bucket key is {@code bucket}, or, when {@code bucket} is
     * null, for events whose key is none of the values {@link #collectBuckets} reports.
     */
    public Cond<C> specialize(String bucket) {
        return this;
    }

    /** Adds every bucket key value this condition names (in equality tests or field buckets). */
    public void collectBuckets(Set<String> out) {
    }

    /** True when this is the constant false (the condition can never hold). */
    public final boolean isFalse() {
        return this instanceof Const<C> c && !c.value;
    }

    /** True when this is the constant true. */
    public final boolean isTrue() {
        return this instanceof Const<C> c && c.value;
    }

    @SuppressWarnings("unchecked")
    static <C> Cond<C> constant(boolean value) {
        return (Cond<C>) (value ? Const.TRUE : Const.FALSE);
    }

    static final class Const<C> extends Cond<C> {
        static final Const<?> TRUE = new Const<>(true);
        static final Const<?> FALSE = new Const<>(false);

        private final boolean value;

        private Const(boolean value) {
            this.value = value;
        }

        @Override
        public boolean test(C ctx) {
            return value;
        }
    }

    /**
     * A chain of children joined by {@code and} or {@code or}: {@code absorbing} is the value that
     * decides the chain on its own (false for and, true for or).
     */
    abstract static class Junction<C> extends Cond<C> {
        final Cond<C>[] children;
        private final boolean absorbing;

        Junction(List<Cond<C>> children, boolean absorbing) {
            this.children = toArray(children);
            this.absorbing = absorbing;
        }

        abstract Cond<C> of(List<Cond<C>> children);

        @Override
        public final Cond<C> specialize(String bucket) {
            List<Cond<C>> kept = new ArrayList<>(children.length);
            boolean changed = false;
            for (Cond<C> c : children) {
                Cond<C> s = c.specialize(bucket);
                changed |= s != c;
                if (absorbing ? s.isTrue() : s.isFalse()) {
                    return s;
                }
                if (!(absorbing ? s.isFalse() : s.isTrue())) {
                    kept.add(s);
                }
            }
            if (!changed) {
                return this;
            }
            return kept.isEmpty() ? constant(!absorbing) : kept.size() == 1 ? kept.getFirst() : of(kept);
        }

        @Override
        public final void collectBuckets(Set<String> out) {
            for (Cond<C> c : children) {
                c.collectBuckets(out);
            }
        }
    }

    static final class And<C> extends Junction<C> {

        And(List<Cond<C>> children) {
            super(children, false);
        }

        @Override
        public boolean test(C ctx) {
            for (Cond<C> c : children) {
                if (!c.test(ctx)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        Cond<C> of(List<Cond<C>> children) {
            return new And<>(children);
        }
    }

    static final class Or<C> extends Junction<C> {

        Or(List<Cond<C>> children) {
            super(children, true);
        }

        @Override
        public boolean test(C ctx) {
            for (Cond<C> c : children) {
                if (c.test(ctx)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        Cond<C> of(List<Cond<C>> children) {
            return new Or<>(children);
        }
    }

    static final class Not<C> extends Cond<C> {
        private final Cond<C> child;

        Not(Cond<C> child) {
            this.child = child;
        }

        @Override
        public boolean test(C ctx) {
            return !child.test(ctx);
        }

        @Override
        public Cond<C> specialize(String bucket) {
            Cond<C> s = child.specialize(bucket);
            if (s.isTrue() || s.isFalse()) {
                return constant(s.isFalse());
            }
            return s == child ? this : new Not<>(s);
        }

        @Override
        public void collectBuckets(Set<String> out) {
            child.collectBuckets(out);
        }
    }

    /** Base of checks on one field: knows the field's bucket and whether it is the bucket key. */
    abstract static class FieldCheck<C> extends Cond<C> {
        final Field<C> field;
        final boolean bucketKey;

        FieldCheck(Field<C> field, boolean bucketKey) {
            this.field = field;
            this.bucketKey = bucketKey;
        }

        /** False when events of {@code bucket} cannot have the field; null when undecided. */
        final Cond<C> absentIn(String bucket) {
            String only = field.bucket();
            return only != null && !only.equals(bucket) ? constant(false) : null;
        }

        @Override
        public void collectBuckets(Set<String> out) {
            if (field.bucket() != null) {
                out.add(field.bucket());
            }
        }
    }

    static final class StrTest<C> extends FieldCheck<C> {
        private final StrAccessor<C> accessor;
        final StrMatcher matcher;

        StrTest(Field.Str<C> field, StrMatcher matcher, boolean bucketKey) {
            super(field, bucketKey);
            this.accessor = field.accessor();
            this.matcher = matcher;
        }

        @Override
        public boolean test(C ctx) {
            CharSequence v = accessor.get(ctx);
            return v != null && matcher.matches(v);
        }

        @Override
        public Cond<C> specialize(String bucket) {
            if (bucketKey) {
                if (bucket != null) {
                    return constant(matcher.matches(bucket));
                }
                if (matcher.values() != null) {
                    return constant(false);
                }
                return matcher.rejected() != null ? constant(true) : this;
            }
            Cond<C> absent = absentIn(bucket);
            return absent != null ? absent : this;
        }

        @Override
        public void collectBuckets(Set<String> out) {
            super.collectBuckets(out);
            if (bucketKey) {
                if (matcher.values() != null) {
                    out.addAll(matcher.values());
                }
                if (matcher.rejected() != null) {
                    out.add(matcher.rejected());
                }
            }
        }
    }

    /** A check on a multi-valued field: true when any value satisfies it. */
    static final class AnyStrTest<C> extends FieldCheck<C> {
        private final MultiStrAccessor<C> accessor;
        private final StrMatcher matcher;

        AnyStrTest(Field.MultiStr<C> field, StrMatcher matcher) {
            super(field, false);
            this.accessor = field.accessor();
            this.matcher = matcher;
        }

        @Override
        public boolean test(C ctx) {
            int n = accessor.count(ctx);
            for (int i = 0; i < n; i++) {
                CharSequence v = accessor.get(ctx, i);
                if (v != null && matcher.matches(v)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Cond<C> specialize(String bucket) {
            Cond<C> absent = absentIn(bucket);
            return absent != null ? absent : this;
        }
    }

    static final class NumTest<C> extends FieldCheck<C> {
        private final NumAccessor<C> accessor;
        private final NumMatcher matcher;

        NumTest(Field.Num<C> field, NumMatcher matcher) {
            super(field, false);
            this.accessor = field.accessor();
            this.matcher = matcher;
        }

        @Override
        public boolean test(C ctx) {
            long v = accessor.get(ctx);
            return v != NumAccessor.ABSENT && matcher.matches(v);
        }

        @Override
        public Cond<C> specialize(String bucket) {
            Cond<C> absent = absentIn(bucket);
            return absent != null ? absent : this;
        }
    }

    static final class Exists<C> extends FieldCheck<C> {

        Exists(Field<C> field, boolean bucketKey) {
            super(field, bucketKey);
        }

        @Override
        public boolean test(C ctx) {
            return switch (field) {
                case Field.Str<C> s -> s.accessor().get(ctx) != null;
                case Field.Num<C> n -> n.accessor().get(ctx) != NumAccessor.ABSENT;
                case Field.MultiStr<C> m -> m.accessor().count(ctx) > 0;
            };
        }

        @Override
        public Cond<C> specialize(String bucket) {
            if (bucketKey && bucket != null) {
                return constant(true);
            }
            Cond<C> absent = absentIn(bucket);
            return absent != null ? absent : this;
        }
    }

    /** A field compared with another field: absent in a bucket where either is. */
    abstract static class FieldCompare<C> extends FieldCheck<C> {
        final String op;
        private final Field<C> rightField;

        FieldCompare(Field<C> left, String op, Field<C> right) {
            super(left, false);
            this.op = op;
            this.rightField = right;
        }

        @Override
        public final Cond<C> specialize(String bucket) {
            String only = rightField.bucket();
            if (only != null && !only.equals(bucket)) {
                return constant(false);
            }
            Cond<C> absent = absentIn(bucket);
            return absent != null ? absent : this;
        }
    }

    /** A string field compared with another string field ({@code val(...)} or a transformer). */
    static final class StrFieldCompare<C> extends FieldCompare<C> {
        private final StrAccessor<C> left;
        private final StrAccessor<C> right;

        StrFieldCompare(Field.Str<C> left, String op, Field.Str<C> right) {
            super(left, op, right);
            this.left = left.accessor();
            this.right = right.accessor();
        }

        @Override
        public boolean test(C ctx) {
            CharSequence a = left.get(ctx);
            if (a == null) {
                return false;
            }
            CharSequence b = right.get(ctx);
            if (b == null) {
                return false;
            }
            String bs = b.toString();
            return switch (op) {
                case "=", "==", "in", "intersects" -> Chars.equals(a, bs);
                case "!=" -> !Chars.equals(a, bs);
                case "contains" -> Chars.indexOf(a, bs) >= 0;
                case "icontains" -> Chars.containsIgnoreCase(a, Chars.lower(bs));
                case "startswith" -> Chars.startsWith(a, bs);
                case "endswith" -> Chars.endsWith(a, bs);
                case "<" -> Chars.compare(a, bs) < 0;
                case "<=" -> Chars.compare(a, bs) <= 0;
                case ">" -> Chars.compare(a, bs) > 0;
                case ">=" -> Chars.compare(a, bs) >= 0;
                default -> new Glob(bs, op.equals("iglob")).matches(a);
            };
        }
    }

    /** A number field compared with another number field. */
    static final class NumFieldCompare<C> extends FieldCompare<C> {
        private final NumAccessor<C> left;
        private final NumAccessor<C> right;

        NumFieldCompare(Field.Num<C> left, String op, Field.Num<C> right) {
            super(left, op, right);
            this.left = left.accessor();
            this.right = right.accessor();
        }

        @Override
        public boolean test(C ctx) {
            long a = left.get(ctx);
            long b = right.get(ctx);
            if (a == NumAccessor.ABSENT || b == NumAccessor.ABSENT) {
                return false;
            }
            return switch (op) {
                case "=", "==", "in", "intersects" -> a == b;
                case "!=" -> a != b;
                case "<" -> a < b;
                case "<=" -> a <= b;
                case ">" -> a > b;
                default -> a >= b;
            };
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <C> Cond<C>[] toArray(List<Cond<C>> list) {
        return list.toArray(new Cond[0]);
    }
}
