package dev.vigil.model.record;

import java.util.List;

/**
 * A {@link FieldSink} that builds one JSON object into a reusable {@link StringBuilder}. It writes
 * {@code ts} as Zeek does (seconds with six decimals) and escapes strings per RFC 8259 section 7;
 * control characters and lone surrogates are escaped as {@code \\uXXXX}. Not thread-safe: use one
 * per writer thread and call {@link #reset()} between records.
 */
public final class JsonLine implements FieldSink {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean first = true;

    public JsonLine(StringBuilder out) {
        this.out = out;
    }

    public JsonLine() {
        this(new StringBuilder(256));
    }

    /** Renders a whole record: {@code {"log":…,"ts":…, fields…}}. */
    public static String of(LogRecord record) {
        JsonLine line = new JsonLine();
        line.begin(record);
        return line.end().toString();
    }

    /** Clears the buffer and opens a new object. */
    public JsonLine reset() {
        out.setLength(0);
        out.append('{');
        first = true;
        return this;
    }

    /** Resets and writes {@code log}, {@code ts} and the record's own fields; call {@link #end()} to close. */
    public JsonLine begin(LogRecord record) {
        reset();
        string("log", record.log());
        timestamp("ts", record.ts());
        record.writeTo(this);
        return this;
    }

    /** Closes the object and returns the buffer (valid until the next {@link #reset()}). */
    public StringBuilder end() {
        out.append('}');
        return out;
    }

    /** A seconds-since-epoch value with exactly six decimals, as in Zeek's JSON logs. */
    public JsonLine timestamp(String name, double seconds) {
        name(name);
        long micros = Math.round(seconds * 1_000_000d);
        if (micros < 0) {
            out.append('-');
            micros = -micros;
        }
        out.append(micros / 1_000_000).append('.');
        long frac = micros % 1_000_000;
        for (long scale = 100_000; scale > 0; scale /= 10) {
            out.append((char) ('0' + (frac / scale) % 10));
        }
        return this;
    }

    @Override
    public JsonLine string(String name, CharSequence value) {
        if (value != null) {
            name(name);
            quote(value);
        }
        return this;
    }

    @Override
    public JsonLine number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** Writes a finite decimal in plain notation ({@code 0.000396}, never {@code 3.96E-4}), as Zeek's JSON does. */
    @Override
    public JsonLine decimal(String name, double value) {
        if (Double.isFinite(value)) {
            name(name);
            plain(Double.toString(value));
        }
        return this;
    }

    /**
     * Appends {@link Double#toString} output in plain notation, digit for digit what
     * {@code BigDecimal.valueOf(value).toPlainString()} gives ({@code 3.96E-4} is {@code 0.000396},
     * {@code 1.0E-5} is {@code 0.000010}, {@code 1.5E9} is {@code 1500000000}) without its cost.
     */
    private void plain(String text) {
        int e = text.indexOf('E');
        if (e < 0) {
            out.append(text);
            return;
        }
        int start = 0;
        if (text.charAt(0) == '-') {
            out.append('-');
            start = 1;
        }
        int dot = text.indexOf('.', start);
        int digits = e - start - 1;
        int scale = (e - dot - 1) - Integer.parseInt(text, e + 1, text.length(), 10);
        if (scale <= 0) {
            digits(text, start, e, -1);
            zeros(-scale);
        } else if (scale >= digits) {
            out.append("0.");
            zeros(scale - digits);
            digits(text, start, e, -1);
        } else {
            digits(text, start, e, digits - scale);
        }
    }

    /** Appends the digits of {@code text[from, to)}, skipping its '.', with a '.' after {@code pointAfter} digits (-1: none). */
    private void digits(String text, int from, int to, int pointAfter) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '.') {
                if (n == pointAfter) {
                    out.append('.');
                }
                out.append(c);
                n++;
            }
        }
    }

    private void zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.append('0');
        }
    }

    @Override
    public JsonLine bool(String name, Boolean value) {
        if (value != null) {
            name(name);
            out.append(value.booleanValue());
        }
        return this;
    }

    @Override
    public JsonLine strings(String name, List<String> values) {
        if (values != null) {
            name(name);
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                String v = values.get(i);
                if (v == null) {
                    out.append("null");
                } else {
                    quote(v);
                }
            }
            out.append(']');
        }
        return this;
    }

    @Override
    public JsonLine numbers(String name, long[] values) {
        if (values != null) {
            name(name);
            out.append('[');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(values[i]);
            }
            out.append(']');
        }
        return this;
    }

    /** Writes a pre-rendered JSON value (object or array) under {@code name}; the caller guarantees validity. */
    public JsonLine raw(String name, CharSequence json) {
        if (json != null) {
            name(name);
            out.append(json);
        }
        return this;
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(CharSequence s) {
        out.append('"');
        int n = s.length();
        int plain = 0;
        while (plain < n) {
            char c = s.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                break;
            }
            plain++;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (Character.isSurrogate(c) && !validSurrogateAt(s, i))) {
                        escape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogateAt(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void escape(char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
