package dev.vigil.net.http2;

import dev.vigil.net.app.TextFields;

/** One HTTP/2 stream while it is open: its request and response fields in a {@link TextFields} arena. Pooled. */
final class Stream {

    static final int METHOD = 0;
    static final int AUTHORITY = 1;
    static final int PATH = 2;
    static final int USER_AGENT = 3;
    static final int REQUEST_CONTENT_TYPE = 4;
    static final int CONTENT_TYPE = 5;
    static final int GRPC_MESSAGE = 6;
    static final int HOST = 7;

    final TextFields fields = new TextFields(8);

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
        fields.clear();
        status = -1;
        grpcStatus = -1;
        requestBodyLen = 0;
        responseBodyLen = 0;
        clientClosed = false;
        serverClosed = false;
    }

    void set(int field, String value) {
        if (value != null) {
            byte[] b = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            fields.set(field, b, 0, b.length);
        }
    }
}
