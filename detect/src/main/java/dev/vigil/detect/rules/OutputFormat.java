package dev.vigil.detect.rules;

import dev.vigil.detect.rules.expr.ConditionCompiler;
import dev.vigil.detect.rules.expr.ConditionException;
import dev.vigil.detect.rules.expr.ConditionParser;
import dev.vigil.detect.rules.expr.Expr;
import dev.vigil.detect.rules.expr.Pos;
import dev.vigil.detect.rules.fields.Field;
import dev.vigil.detect.rules.fields.FieldSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule's {@code output}, compiled as Falco's event formatter does: {@code %field} (with an
 * optional argument, {@code %proc.aname[2]}, and an optional pad width, {@code %20proc.name}) is
 * replaced by the field's value, {@code <NA>} when the event has none. A token is the longest text
 * after {@code %} that names a field, so {@code %proc.names} is {@code proc.name} followed by
 * {@code s}. Fields the source lacks are kept in {@link #missingFields()} and render as {@code <NA>}.
 * A pad width is at most {@link #MAX_PAD_WIDTH}.
 * {@link #fields} gives Falco's {@code output_fields}: every field of the format by name.
 */
final class OutputFormat<C> {

    static final String NOT_AVAILABLE = "<NA>";
    /** Largest pad width a token may ask for ({@code %20proc.name}); wider asks are cut to it. */
    static final int MAX_PAD_WIDTH = 4096;

    private final String[] literals;
    private final Field<C>[] fields;
    private final String[] names;
    private final int[] widths;
    private final Set<String> missing;

    private OutputFormat(List<String> literals, List<Field<C>> fields, List<String> names, List<Integer> widths,
                         Set<String> missing) {
        this.literals = literals.toArray(String[]::new);
        this.fields = toArray(fields);
        this.names = names.toArray(String[]::new);
        this.widths = widths.stream().mapToInt(Integer::intValue).toArray();
        this.missing = java.util.Collections.unmodifiableSet(missing);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <C> Field<C>[] toArray(List<Field<C>> list) {
        return list.toArray(new Field[0]);
    }

    /**
     * Compiles {@code format} for {@code source}.
     *
     * @throws ConditionException for a {@code %} not followed by a field name, or a field argument
     *                            the field cannot take
     */
    static <C> OutputFormat<C> compile(String format, FieldSource<C> source) throws ConditionException {
        List<String> literals = new ArrayList<>();
        List<Field<C>> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            int width = 0;
            while (start < format.length() && Character.isDigit(format.charAt(start))) {
                width = Math.min(MAX_PAD_WIDTH, width * 10 + (format.charAt(start) - '0'));
                start++;
            }
            String rest = format.substring(start);
            ConditionParser.Parsed<Expr.Operand> full = ConditionParser.parseFieldPrefix(rest);
            if (full == null) {
                throw new ConditionException("invalid formatting token " + rest, new Pos(i, 1, i + 1));
            }
            Field<C> field = null;
            int length = full.length();
            for (int len = full.length(); len > 0 && field == null; len--) {
                ConditionParser.Parsed<Expr.Operand> p = ConditionParser.parseFieldPrefix(rest.substring(0, len));
                if (p != null && p.length() == len) {
                    try {
                        field = ConditionCompiler.resolveOperand(p.value(), source);
                    } catch (ConditionException e) {
                        if (len == full.length()) {
                            throw e;
                        }
                    }
                    if (field != null) {
                        length = len;
                    }
                }
            }
            literals.add(literal.toString());
            literal.setLength(0);
            String name = field != null ? field.name() : rest.substring(0, full.length());
            if (field == null) {
                missing.add(name);
            }
            fields.add(field);
            names.add(name);
            widths.add(width);
            i = start + length;
        }
        literals.add(literal.toString());
        return new OutputFormat<>(literals, fields, names, widths, missing);
    }

    /** Fields named in the format that the source does not provide. */
    Set<String> missingFields() {
        return missing;
    }

    /** The formatted output for the event bound to {@code ctx}. */
    String render(C ctx) {
        StringBuilder out = new StringBuilder(128);
        for (int k = 0; k < fields.length; k++) {
            out.append(literals[k]);
            Object v = fields[k] == null ? null : fields[k].value(ctx);
            int before = out.length();
            out.append(v == null ? NOT_AVAILABLE : v);
            for (int pad = out.length() - before; pad < widths[k]; pad++) {
                out.append(' ');
            }
            if (widths[k] > 0 && out.length() - before > widths[k]) {
                out.setLength(before + widths[k]);
            }
        }
        out.append(literals[fields.length]);
        return out.toString();
    }

    /** Falco's {@code output_fields}: each field of the format with its value (null when absent). */
    Map<String, Object> fields(C ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < fields.length; k++) {
            out.put(names[k], fields[k] == null ? null : fields[k].value(ctx));
        }
        return out;
    }
}
