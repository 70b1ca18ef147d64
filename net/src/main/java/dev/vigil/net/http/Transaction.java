package dev.vigil.net.http;

import dev.vigil.net.app.TextFields;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request and its response while they are parsed: text fields in a {@link TextFields} arena, so
 * nothing becomes a String until the record is built. Pooled per connection.
 */
final class Transaction {

    static final int METHOD = 0;
    static final int URI = 1;
    static final int HOST = 2;
    static final int REFERRER = 3;
    static final int VERSION = 4;
    static final int USER_AGENT = 5;
    static final int ORIGIN = 6;
    static final int USERNAME = 7;
    static final int STATUS_MSG = 8;
    static final int INFO_MSG = 9;
    static final int POST_BODY = 10;
    private static final int PROXIED = 11;

    private static final byte[] PROBLEM = "<problem-decoding> (".getBytes(StandardCharsets.US_ASCII);

    private final TextFields fields = new TextFields(12);

    long ts;
    int depth;
    int statusCode;
    int infoCode;
    long requestBodyLen;
    long responseBodyLen;
    boolean requestDone;
    boolean responseDone;
    /** The request was CONNECT, HEAD, or asked to upgrade (to h2c in particular). */
    boolean connect;
    boolean head;
    boolean upgrade;
    boolean upgradeH2c;
    Transaction nextFree;

    void start(long tsMicros, int transDepth) {
        fields.clear();
        ts = tsMicros;
        depth = transDepth;
        statusCode = -1;
        infoCode = -1;
        requestBodyLen = 0;
        responseBodyLen = 0;
        requestDone = false;
        responseDone = false;
        connect = false;
        head = false;
        upgrade = false;
        upgradeH2c = false;
    }

    void set(int field, byte[] src, int from, int length) {
        fields.set(field, src, from, length);
    }

    void append(int field, byte[] src, int from, int length) {
        fields.append(field, src, from, length);
    }

    int appendCapped(int field, MemorySegment bytes, long from, int length, int max) {
        return fields.appendCapped(field, bytes, from, length, max);
    }

    /** Stores the request target with percent-escapes decoded, as Zeek's {@code unescaped_URI}. */
    void setUnescaped(int field, byte[] src, int from, int length) {
        byte[] out = fields.scratch(length);
        int n = 0;
        for (int i = from, end = from + length; i < end; i++) {
            int b = src[i];
            if (b == '%' && i + 2 < end && hex(src[i + 1]) >= 0 && hex(src[i + 2]) >= 0) {
                out[n++] = (byte) (hex(src[i + 1]) << 4 | hex(src[i + 2]));
                i += 2;
            } else {
                out[n++] = (byte) b;
            }
        }
        fields.set(field, out, 0, n);
    }

    /**
     * Decodes the base64 credentials of Basic auth into {@code field}, keeping the user before the
     * first {@code ':'}; undecodable credentials are kept as Zeek does: {@code <problem-decoding> (value)}.
     */
    void setBasicUser(int field, byte[] src, int from, int length) {
        byte[] out = fields.scratch(Math.max(length, PROBLEM.length + length + 1));
        int n = 0;
        int bits = 0;
        int acc = 0;
        boolean valid = true;
        for (int i = from; i < from + length && valid; i++) {
            int c = src[i];
            if (c == '=') {
                break;
            }
            int v = base64(c);
            valid = v >= 0;
            acc = (acc << 6) | Math.max(v, 0);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
            }
        }
        for (int i = 0; i < n && valid; i++) {
            if (out[i] == ':') {
                fields.set(field, out, 0, i);
                return;
            }
        }
        System.arraycopy(PROBLEM, 0, out, 0, PROBLEM.length);
        System.arraycopy(src, from, out, PROBLEM.length, length);
        out[PROBLEM.length + length] = ')';
        fields.set(field, out, 0, PROBLEM.length + length + 1);
    }

    void addProxied(byte[] src, int from, int length) {
        if (fields.count(PROXIED) < HttpAnalyzer.MAX_PROXIED) {
            fields.add(PROXIED, src, from, length);
        }
    }

    String text(int field) {
        return fields.text(field);
    }

    List<String> proxied() {
        return fields.texts(PROXIED);
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static int base64(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }
}
