package dev.vigil.model.record;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link FieldSink} that builds one JSON object as UTF-8 bytes in a reusable buffer. It writes
 * {@code ts} as Zeek does (seconds with six decimals) and escapes strings per RFC 8259 section 7;
 * control characters and lone surrogates are escaped as {@code \\uXXXX}. Not thread-safe: use one
 * per writer thread and call {@link #reset()} between records.
 *
 * <p>Byte consumers close the object with {@link #finish()} and copy {@link #bytes()} up to
 * {@link #length()}: the record is rendered once, straight into the bytes that are written. Text
 * consumers call {@link #end()}, which decodes the object into a {@code StringBuilder}.
 *
 * <p>Strings take a fast path when {@link String#getBytes getBytes(ISO_8859_1)} (a plain copy for
 * the Latin-1 strings nearly every value is) yields printable ASCII with nothing to escape: one bulk
 * copy. The encoder turns every char beyond Latin-1 (lone surrogates too) into {@code ?}, so a
 * {@code ?} sends the value down the exact path, which escapes and encodes char by char.
 */
public final class JsonLine implements FieldSink {

    private static final byte[] HEX = "0123456789abcdef".getBytes(UTF_8);
    private static final byte[] TRUE = "true".getBytes(UTF_8);
    private static final byte[] FALSE = "false".getBytes(UTF_8);
    private static final byte[] NULL = "null".getBytes(UTF_8);

    /** {@code -10^k} at index k: the values from which a negated number has k + 1 digits. */
    private static final long[] NEGATIVE_POWERS = new long[19];

    static {
        long p = -1;
        for (int k = 0; k < NEGATIVE_POWERS.length; k++) {
            NEGATIVE_POWERS[k] = p;
            p *= 10;
        }
    }

    /** Printable ASCII that a JSON string holds as it is: not {@code "}, {@code \} or {@code ?} (see {@link #quote}). */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '"' && c != '\\' && c != '?';
        }
    }

    /**
     * Field names remembered with their rendering ({@code "name":}), by identity: records use a few
     * dozen constant names. A name looks at {@link #NAME_PROBES} slots from its hash's, so two names
     * whose hashes meet do not evict each other on every record (with one slot, 22 MB of renderings
     * per 1.4 GB capture were names rendered again).
     */
    private static final int NAME_CACHE = 256;
    private static final int NAME_PROBES = 4;

    private StringBuilder out;
    private final String[] names = new String[NAME_CACHE];
    private final byte[][] renderedNames = new byte[NAME_CACHE][];
    private byte[] buf = new byte[512];
    private int len;
    private boolean first = true;

    /** @param out receives the object on {@link #end()} */
    public JsonLine(StringBuilder out) {
        this.out = out;
    }

    public JsonLine() {
    }

    /** Renders a whole record: {@code {"log":…,"ts":…, fields…}}. */
    public static String of(LogRecord record) {
        JsonLine line = new JsonLine();
        line.begin(record).finish();
        return new String(line.buf, 0, line.len, UTF_8);
    }

    /** Clears the buffer and opens a new object. */
    public JsonLine reset() {
        len = 0;
        put('{');
        first = true;
        return this;
    }

    /** Resets and writes {@code log}, {@code ts} and the record's own fields; call {@link #finish()} or {@link #end()} to close. */
    public JsonLine begin(LogRecord record) {
        reset();
        string("log", record.log());
        timestamp("ts", record.ts());
        record.writeTo(this);
        return this;
    }

    /** Closes the object, whose UTF-8 bytes are then {@link #bytes()} up to {@link #length()}. */
    public JsonLine finish() {
        put('}');
        return this;
    }

    /** The buffer holding the object's UTF-8 bytes from 0 to {@link #length()}; valid until the next {@link #reset()}. */
    public byte[] bytes() {
        return buf;
    }

    /** The number of bytes rendered. */
    public int length() {
        return len;
    }

    /**
     * Closes the object and decodes it into the {@code StringBuilder} given to the constructor (or
     * this line's own), replacing what it held; the builder is valid until the next {@code end()}.
     */
    public StringBuilder end() {
        finish();
        if (out == null) {
            out = new StringBuilder(len);
        }
        out.setLength(0);
        out.append(new String(buf, 0, len, UTF_8));
        return out;
    }

    /** A seconds-since-epoch value with exactly six decimals, as in Zeek's JSON logs. */
    public JsonLine timestamp(String name, double seconds) {
        name(name);
        long micros = Math.round(seconds * 1_000_000d);
        long frac = micros % 1_000_000;
        if (micros < 0) {
            put('-');
            frac = -frac;
        }
        negativeDigits(micros < 0 ? micros / 1_000_000 : -(micros / 1_000_000));
        room(7);
        buf[len] = '.';
        int f = (int) frac;
        for (int i = len + 6; i > len; i--) {
            int q = f / 10;
            buf[i] = (byte) ('0' + (f - q * 10));
            f = q;
        }
        len += 7;
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
        number(value);
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
            ascii(text);
            return;
        }
        int start = 0;
        if (text.charAt(0) == '-') {
            put('-');
            start = 1;
        }
        int dot = text.indexOf('.', start);
        int digits = e - start - 1;
        int scale = (e - dot - 1) - Integer.parseInt(text, e + 1, text.length(), 10);
        if (scale <= 0) {
            digits(text, start, e, -1);
            zeros(-scale);
        } else if (scale >= digits) {
            put('0');
            put('.');
            zeros(scale - digits);
            digits(text, start, e, -1);
        } else {
            digits(text, start, e, digits - scale);
        }
    }

    /** Appends the digits of {@code text[from, to)}, skipping its '.', with a '.' after {@code pointAfter} digits (-1: none). */
    private void digits(String text, int from, int to, int pointAfter) {
        room(to - from + 1);
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '.') {
                if (n == pointAfter) {
                    buf[len++] = '.';
                }
                buf[len++] = (byte) c;
                n++;
            }
        }
    }

    /** Appends a text known to be ASCII. */
    private void ascii(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) text.charAt(i);
        }
    }

    private void zeros(int n) {
        room(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = '0';
        }
    }

    @Override
    public JsonLine bool(String name, Boolean value) {
        if (value != null) {
            name(name);
            put(value ? TRUE : FALSE);
        }
        return this;
    }

    @Override
    public JsonLine strings(String name, List<String> values) {
        if (values != null) {
            name(name);
            put('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                String v = values.get(i);
                if (v == null) {
                    put(NULL);
                } else {
                    quote(v);
                }
            }
            put(']');
        }
        return this;
    }

    @Override
    public JsonLine numbers(String name, long[] values) {
        if (values != null) {
            name(name);
            put('[');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    put(',');
                }
                number(values[i]);
            }
            put(']');
        }
        return this;
    }

    /**
     * Writes a pre-rendered JSON value (object or array) under {@code name}; the caller guarantees
     * validity. Encoded as UTF-8, a lone surrogate as {@code ?} (JSON rendered here has none: it is escaped).
     */
    public JsonLine raw(String name, CharSequence json) {
        if (json != null) {
            name(name);
            put(json.toString().getBytes(UTF_8));
        }
        return this;
    }

    private void name(String name) {
        if (!first) {
            put(',');
        }
        first = false;
        int home = name.hashCode() & (NAME_CACHE - 1);
        int slot = home;
        for (int probe = 0; probe < NAME_PROBES; probe++) {
            int at = (home + probe) & (NAME_CACHE - 1);
            String cached = names[at];
            if (cached == name) {
                put(renderedNames[at]);
                return;
            }
            if (cached == null) {
                slot = at;
                break;
            }
        }
        int start = len;
        quote(name);
        put(':');
        names[slot] = name;
        renderedNames[slot] = Arrays.copyOfRange(buf, start, len);
    }

    /** Works on a {@code String} (nearly every value is one): its {@code charAt} inlines, an interface call does not. */
    private void quote(CharSequence value) {
        String s = value.toString();
        byte[] b = s.getBytes(ISO_8859_1);
        int n = b.length;
        if (n == s.length() && printable(b)) {
            room(n + 2);
            buf[len++] = '"';
            System.arraycopy(b, 0, buf, len, n);
            len += n;
            buf[len++] = '"';
            return;
        }
        put('"');
        escaped(s);
        put('"');
    }

    /** True when every byte of {@code b} is {@link #PLAIN} (bytes of Latin-1 letters beyond ASCII are not). */
    private static boolean printable(byte[] b) {
        boolean[] plain = PLAIN;
        for (byte c : b) {
            if (!plain[c & 0xff]) {
                return false;
            }
        }
        return true;
    }

    /** Escapes and encodes {@code s} char by char: a valid surrogate pair as one 4-byte sequence, a lone one as {@code \\uXXXX}. */
    private void escaped(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            room(12);
            switch (c) {
                case '"' -> escape('"');
                case '\\' -> escape('\\');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                case '\t' -> escape('t');
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c);
                    } else if (c < 0x80) {
                        buf[len++] = (byte) c;
                    } else if (c < 0x800) {
                        buf[len++] = (byte) (0xc0 | c >> 6);
                        buf[len++] = (byte) (0x80 | c & 0x3f);
                    } else if (!Character.isSurrogate(c)) {
                        buf[len++] = (byte) (0xe0 | c >> 12);
                        buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
                        buf[len++] = (byte) (0x80 | c & 0x3f);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        buf[len++] = (byte) (0xf0 | cp >> 18);
                        buf[len++] = (byte) (0x80 | cp >> 12 & 0x3f);
                        buf[len++] = (byte) (0x80 | cp >> 6 & 0x3f);
                        buf[len++] = (byte) (0x80 | cp & 0x3f);
                    } else {
                        unicodeEscape(c);
                    }
                }
            }
        }
    }

    private void escape(char c) {
        buf[len++] = '\\';
        buf[len++] = (byte) c;
    }

    private void unicodeEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void number(long value) {
        if (value < 0) {
            put('-');
            negativeDigits(value);
        } else {
            negativeDigits(-value);
        }
    }

    /**
     * Appends the decimal digits of {@code -value}; negated so that {@link Long#MIN_VALUE} has its 19
     * digits too. Divides in {@code int} once the value fits and takes the remainder by multiplying:
     * under C1 (as {@code pcap analyze} runs) every division is a hardware divide.
     */
    private void negativeDigits(long value) {
        int n = 1;
        while (n < NEGATIVE_POWERS.length && value <= NEGATIVE_POWERS[n]) {
            n++;
        }
        room(n);
        byte[] b = buf;
        int end = len + n;
        int i = end;
        long v = value;
        while (v < Integer.MIN_VALUE) {
            long q = v / 10;
            b[--i] = (byte) ('0' + (q * 10 - v));
            v = q;
        }
        int w = (int) v;
        do {
            int q = w / 10;
            b[--i] = (byte) ('0' + (q * 10 - w));
            w = q;
        } while (w != 0);
        len = end;
    }

    private void put(char c) {
        room(1);
        buf[len++] = (byte) c;
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    /** Makes room for {@code n} more bytes. */
    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
