package dev.vigil.net.http2;

import dev.vigil.net.app.LogText;
import java.util.Arrays;

/** One HTTP/2 stream while it is open: its request and response fields as slices of one arena. Pooled. */
final class Stream {

    static final int METHOD = 0;
    static final int AUTHORITY = 1;
    static final int PATH = 2;
    static final int USER_AGENT = 3;
    static final int REQUEST_CONTENT_TYPE = 4;
    static final int CONTENT_TYPE = 5;
    static final int GRPC_MESSAGE = 6;
    static final int HOST = 7;
    private static final int FIELDS = 8;

    private byte[] arena = new byte[128];
    private int used;
    private final int[] offsets = new int[FIELDS];
    private final int[] lengths = new int[FIELDS];

    int id;
    long ts;
    int status;
    int grpcStatus;
    long requestBodyLen;
    long responseBodyLen;
    boolean clientClosed;
    boolean serverClosed;
    Stream nextFree;

    void start(int streamId, long tsMicros) {
        id = streamId;
        ts = tsMicros;
        used = 0;
        Arrays.fill(lengths, -1);
        status = -1;
        grpcStatus = -1;
        requestBodyLen = 0;
        responseBodyLen = 0;
        clientClosed = false;
        serverClosed = false;
    }

    void set(int field, byte[] src, int from, int length) {
        if (used + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + length));
        }
        System.arraycopy(src, from, arena, used, length);
        offsets[field] = used;
        lengths[field] = length;
        used += length;
    }

    void set(int field, String value) {
        if (value != null) {
            byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            set(field, b, 0, b.length);
        }
    }

    boolean has(int field) {
        return lengths[field] >= 0;
    }

    String text(int field) {
        return lengths[field] < 0 ? null : LogText.of(arena, offsets[field], lengths[field]);
    }

    /** Whether {@code field} starts with the ASCII {@code prefix}. */
    boolean startsWith(int field, byte[] prefix) {
        return lengths[field] >= prefix.length
                && Arrays.equals(arena, offsets[field], offsets[field] + prefix.length, prefix, 0, prefix.length);
    }
}
