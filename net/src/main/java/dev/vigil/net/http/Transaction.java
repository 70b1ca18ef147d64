package dev.vigil.net.http;

import dev.vigil.net.app.LogText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request and its response while they are parsed: every text field is a slice of one byte
 * arena, so nothing becomes a String until the record is built. Pooled per connection.
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
    private static final int FIELDS = 11;

    private byte[] arena = new byte[256];
    private int used;
    private final int[] offsets = new int[FIELDS];
    private final int[] lengths = new int[FIELDS];
    private final int[] proxiedAt = new int[HttpAnalyzer.MAX_PROXIED];
    private final int[] proxiedLen = new int[HttpAnalyzer.MAX_PROXIED];
    private int proxied;

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
        used = 0;
        Arrays.fill(lengths, -1);
        proxied = 0;
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

    boolean has(int field) {
        return lengths[field] >= 0;
    }

    /** Stores {@code length} bytes as {@code field}, replacing any earlier value. */
    void set(int field, byte[] src, int from, int length) {
        offsets[field] = reserve(length);
        System.arraycopy(src, from, arena, offsets[field], length);
        lengths[field] = length;
    }

    /** Stores the request target with percent-escapes decoded, as Zeek's {@code unescaped_URI}. */
    void setUnescaped(int field, byte[] src, int from, int length) {
        int at = reserve(length);
        int n = 0;
        for (int i = from, end = from + length; i < end; i++) {
            int b = src[i];
            if (b == '%' && i + 2 < end && hex(src[i + 1]) >= 0 && hex(src[i + 2]) >= 0) {
                arena[at + n++] = (byte) (hex(src[i + 1]) << 4 | hex(src[i + 2]));
                i += 2;
            } else {
                arena[at + n++] = (byte) b;
            }
        }
        offsets[field] = at;
        lengths[field] = n;
        used = at + n;
    }

    /** Appends to {@code field} (an obs-fold continuation, or more of the body prefix). */
    void append(int field, byte[] src, int from, int length) {
        if (!has(field)) {
            set(field, src, from, length);
            return;
        }
        int old = offsets[field];
        int oldLen = lengths[field];
        if (old + oldLen == used) {
            reserve(length);
            System.arraycopy(src, from, arena, old + oldLen, length);
        } else {
            int at = reserve(oldLen + length);
            System.arraycopy(arena, old, arena, at, oldLen);
            System.arraycopy(src, from, arena, at + oldLen, length);
            offsets[field] = at;
        }
        lengths[field] = oldLen + length;
    }

    /** Appends up to {@code max - length(field)} bytes of a segment to {@code field}; returns how many. */
    int appendCapped(int field, java.lang.foreign.MemorySegment seg, long from, int length, int max) {
        int have = Math.max(0, lengths[field]);
        int n = Math.min(length, max - have);
        if (n <= 0) {
            return 0;
        }
        if (!has(field)) {
            offsets[field] = reserve(0);
            lengths[field] = 0;
        } else if (offsets[field] + have != used) {
            int at = reserve(have);
            System.arraycopy(arena, offsets[field], arena, at, have);
            offsets[field] = at;
        }
        int at = reserve(n);
        java.lang.foreign.MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, from, arena, at, n);
        lengths[field] = have + n;
        return n;
    }

    int length(int field) {
        return lengths[field];
    }

    void addProxied(byte[] src, int from, int length) {
        if (proxied < proxiedAt.length) {
            proxiedAt[proxied] = reserve(length);
            System.arraycopy(src, from, arena, proxiedAt[proxied], length);
            proxiedLen[proxied++] = length;
        }
    }

    /**
     * Decodes the base64 credentials of Basic auth into {@code field}, keeping the user before the
     * first {@code ':'}; undecodable credentials are kept as Zeek does: {@code <problem-decoding> (value)}.
     */
    void setBasicUser(int field, byte[] src, int from, int length) {
        if (!decodeUser(field, src, from, length)) {
            byte[] prefix = PROBLEM;
            set(field, prefix, 0, prefix.length);
            append(field, src, from, length);
            append(field, CLOSE, 0, 1);
        }
    }

    private static final byte[] PROBLEM = "<problem-decoding> (".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = {')'};

    private boolean decodeUser(int field, byte[] src, int from, int length) {
        int at = reserve(length);
        int n = 0;
        int bits = 0;
        int acc = 0;
        for (int i = from; i < from + length; i++) {
            int c = src[i];
            if (c == '=') {
                break;
            }
            int v = base64(c);
            if (v < 0) {
                used = at;
                return false;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                arena[at + n++] = (byte) (acc >> bits);
            }
        }
        for (int i = 0; i < n; i++) {
            if (arena[at + i] == ':') {
                offsets[field] = at;
                lengths[field] = i;
                used = at + i;
                return true;
            }
        }
        used = at;
        return false;
    }

    String text(int field) {
        return lengths[field] < 0 ? null : LogText.of(arena, offsets[field], lengths[field]);
    }

    List<String> proxied() {
        if (proxied == 0) {
            return null;
        }
        List<String> out = new ArrayList<>(proxied);
        for (int i = 0; i < proxied; i++) {
            out.add(LogText.of(arena, proxiedAt[i], proxiedLen[i]));
        }
        return out;
    }

    private int reserve(int length) {
        int at = used;
        if (at + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, at + length));
        }
        used = at + length;
        return at;
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
