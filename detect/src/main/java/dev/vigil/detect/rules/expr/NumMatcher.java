package dev.vigil.detect.rules.expr;

import java.util.Arrays;

/** A number comparison with its constant operand compiled: libsinsp's {@code flt_compare_numeric}. */
abstract class NumMatcher {

    abstract boolean matches(long v);

    static NumMatcher of(String op, long[] operands) {
        return switch (op) {
            case "=", "==" -> new Cmp(Cmp.EQ, operands[0]);
            case "!=" -> new Cmp(Cmp.NE, operands[0]);
            case "<" -> new Cmp(Cmp.LT, operands[0]);
            case "<=" -> new Cmp(Cmp.LE, operands[0]);
            case ">" -> new Cmp(Cmp.GT, operands[0]);
            case ">=" -> new Cmp(Cmp.GE, operands[0]);
            case "in", "intersects" -> new In(operands);
            default -> throw new IllegalArgumentException("'" + op + "' not supported for numeric filters");
        };
    }

    static final class Cmp extends NumMatcher {
        static final int EQ = 0;
        static final int NE = 1;
        static final int LT = 2;
        static final int LE = 3;
        static final int GT = 4;
        static final int GE = 5;

        private final int op;
        private final long value;

        Cmp(int op, long value) {
            this.op = op;
            this.value = value;
        }

        @Override
        boolean matches(long v) {
            return switch (op) {
                case EQ -> v == value;
                case NE -> v != value;
                case LT -> v < value;
                case LE -> v <= value;
                case GT -> v > value;
                default -> v >= value;
            };
        }
    }

    static final class In extends NumMatcher {
        private final long[] sorted;

        In(long[] values) {
            this.sorted = values.clone();
            Arrays.sort(sorted);
        }

        @Override
        boolean matches(long v) {
            return Arrays.binarySearch(sorted, v) >= 0;
        }
    }
}
