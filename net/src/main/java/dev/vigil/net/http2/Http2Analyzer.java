package dev.vigil.net.http2;

import dev.vigil.model.net.Http2Record;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.TextFields;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * HTTP/2 analysis of one connection (RFC 9113): the client's connection preface, then a frame state
 * machine per direction. Header blocks (HEADERS, PUSH_PROMISE and their CONTINUATION frames) are
 * assembled and decompressed with one {@link HpackDecoder} per direction; DATA is counted, never
 * buffered. Each stream becomes one {@link Http2Record} when both sides have ended it, when it is
 * reset, or when the connection ends. The originator is taken to be the client.
 *
 * <p>Three starts: after detection (the originator sends the preface), after an HTTP/1.1
 * {@code Upgrade: h2c} (stream 1 is the upgraded request, already sent), and midstream, when the
 * capture began after the preface: frames are read from the first byte and HPACK runs in lenient
 * mode (fields that refer to table entries added before the capture began are skipped and reported
 * once as {@code http2_hpack_unknown_index}).
 *
 * <p>Anomalies: {@code http2_frame_too_large}, {@code http2_header_block_too_large},
 * {@code http2_expected_continuation}, {@code http2_bad_padding}, {@code http2_bad_stream_id},
 * {@code http2_bad_settings}, {@code http2_too_many_streams}, {@code http2_hpack_unknown_index} and
 * HPACK's errors ({@code hpack_*}, after which that direction's headers are no longer decoded). A
 * framing error ends analysis of the direction.
 *
 * <p>Limits: frames up to the peer's SETTINGS_MAX_FRAME_SIZE ({@link #DEFAULT_MAX_FRAME_SIZE} until it
 * says otherwise, {@link #MAX_FRAME_SIZE} when picked up midstream), {@link #MAX_HEADER_BLOCK} bytes
 * per header block, {@link #MAX_SETTINGS_PAYLOAD} bytes of SETTINGS, {@link #MAX_STREAMS} open
 * streams (the oldest is logged to make room), and {@link HpackDecoder}'s limits.
 */
final class Http2Analyzer implements AppAnalyzer {

    /** SETTINGS_MAX_FRAME_SIZE until the peer sets it (RFC 9113 section 6.5.2). */
    static final int DEFAULT_MAX_FRAME_SIZE = 16384;
    /** Largest frame the protocol allows; the limit when the peer's settings were not seen. */
    static final int MAX_FRAME_SIZE = (1 << 24) - 1;
    /** Bytes of one header block, CONTINUATION frames included. */
    static final int MAX_HEADER_BLOCK = 65536;
    /** Bytes of one SETTINGS frame read; the rest is skipped. */
    static final int MAX_SETTINGS_PAYLOAD = 1536;
    /** Streams open at once. */
    static final int MAX_STREAMS = 256;

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PUSH_PROMISE = 5;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;

    private static final byte[] METHOD = bytes(":method");
    private static final byte[] AUTHORITY = bytes(":authority");
    private static final byte[] PATH = bytes(":path");
    private static final byte[] STATUS = bytes(":status");
    private static final byte[] HOST = bytes("host");
    private static final byte[] USER_AGENT = bytes("user-agent");
    private static final byte[] CONTENT_TYPE = bytes("content-type");
    private static final byte[] GRPC_STATUS = bytes("grpc-status");
    private static final byte[] GRPC_MESSAGE = bytes("grpc-message");
    private static final byte[] GRPC = bytes("application/grpc");

    private enum State { READ_PREFACE, READ_FRAME_HEADER, READ_PAYLOAD, READ_DATA_PAD, SKIP_PAYLOAD, BAD_FRAME }

    private final AppContext ctx;
    private final Reader client = new Reader(true);
    private final Reader server = new Reader(false);
    private final ArrayList<Stream> streams = new ArrayList<>();
    private Stream free;
    /** Absorbs the fields of late frames on streams already closed, so HPACK state stays in step. */
    private final Stream closedStream = new Stream();
    private int highestOdd;
    private int highestEven;
    private boolean prefaceSeen;
    private final boolean upgraded;
    private boolean reportedUnknownIndex;

    private Http2Analyzer(AppContext ctx, boolean upgraded) {
        this.ctx = ctx;
        this.upgraded = upgraded;
        ctx.encrypted(false);
    }

    /** An analyzer for a connection whose first originator bytes are the preface (or, failing that, frames). */
    static Http2Analyzer fromStart(AppContext ctx) {
        return new Http2Analyzer(ctx, false);
    }

    /** An analyzer taking over after {@code Upgrade: h2c}; stream 1 is the request that asked for it. */
    static Http2Analyzer afterUpgrade(AppContext ctx, String method, String authority, String path, String userAgent,
            long tsMicros) {
        Http2Analyzer a = new Http2Analyzer(ctx, true);
        Stream s = a.open(1, tsMicros);
        s.set(Stream.METHOD, method);
        s.set(Stream.AUTHORITY, authority);
        s.set(Stream.PATH, path);
        s.set(Stream.USER_AGENT, userAgent);
        s.clientClosed = true;
        return a;
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        (direction == Direction.ORIG ? client : server).feed(bytes, offset, offset + length, tsMicros);
    }

    @Override
    public void gap(Direction direction, long length) {
        Reader r = direction == Direction.ORIG ? client : server;
        if (r.state == State.SKIP_PAYLOAD && length <= r.skip) {
            r.skip -= length;
            if (r.skip == 0) {
                r.state = State.READ_FRAME_HEADER;
            }
        } else {
            r.state = State.BAD_FRAME;
        }
    }

    @Override
    public void end(long tsMicros) {
        while (!streams.isEmpty()) {
            close(streams.getFirst());
        }
    }

    private Stream find(int id) {
        for (int i = streams.size() - 1; i >= 0; i--) {
            Stream s = streams.get(i);
            if (s.id == id) {
                return s;
            }
        }
        return null;
    }

    private Stream open(int id, long ts) {
        if (streams.size() >= MAX_STREAMS) {
            ctx.anomaly("http2_too_many_streams", "max streams: " + MAX_STREAMS + " open; logging stream "
                    + streams.getFirst().id + " early");
            close(streams.getFirst());
        }
        Stream s = free;
        if (s == null) {
            s = new Stream();
        } else {
            free = s.nextFree;
            s.nextFree = null;
        }
        s.start(id, ts);
        streams.add(s);
        if ((id & 1) == 1) {
            highestOdd = Math.max(highestOdd, id);
        } else {
            highestEven = Math.max(highestEven, id);
        }
        return s;
    }

    /** The open stream {@code id}, a new one when the id was never used, or null when it was and is closed. */
    private Stream stream(int id, long ts) {
        Stream s = find(id);
        if (s != null) {
            return s;
        }
        if (id <= ((id & 1) == 1 ? highestOdd : highestEven)) {
            return null;
        }
        return open(id, ts);
    }

    private void endSide(Stream s, boolean fromClient) {
        if (fromClient) {
            s.clientClosed = true;
        } else {
            s.serverClosed = true;
        }
        if (s.clientClosed && s.serverClosed) {
            close(s);
        }
    }

    private void close(Stream s) {
        streams.remove(s);
        TextFields f = s.fields;
        String contentType = f.has(Stream.CONTENT_TYPE) ? f.text(Stream.CONTENT_TYPE) : f.text(Stream.REQUEST_CONTENT_TYPE);
        boolean grpc = f.startsWith(Stream.CONTENT_TYPE, GRPC) || f.startsWith(Stream.REQUEST_CONTENT_TYPE, GRPC);
        String path = f.text(Stream.PATH);
        String service = null;
        String method = null;
        if (grpc && path != null && path.length() > 1 && path.charAt(0) == '/') {
            int slash = path.lastIndexOf('/');
            if (slash > 1 && slash < path.length() - 1) {
                service = path.substring(1, slash);
                method = path.substring(slash + 1);
            }
        }
        String authority = f.has(Stream.AUTHORITY) ? f.text(Stream.AUTHORITY) : f.text(Stream.HOST);
        ctx.emit(new Http2Record(s.ts / 1e6, ctx.uid(), ctx.id(), s.id, f.text(Stream.METHOD), authority, path,
                s.status < 0 ? null : s.status, contentType, f.text(Stream.USER_AGENT), s.requestBodyLen,
                s.responseBodyLen, service, method, s.grpcStatus < 0 ? null : s.grpcStatus,
                f.text(Stream.GRPC_MESSAGE)));
        s.nextFree = free;
        free = s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean is(byte[] b, int at, int length, byte[] name) {
        return length == name.length && Arrays.equals(b, at, at + length, name, 0, length);
    }

    private static int decimal(byte[] b, int at, int length, int maxDigits) {
        if (length == 0 || length > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + b[i] - '0';
        }
        return v;
    }

    /** The frame reader of one direction. */
    private final class Reader implements HpackDecoder.Sink {
        final boolean fromClient;
        State state;
        private final byte[] header = new byte[9];
        private int headerHave;
        private int prefaceAt;
        private int length;
        private int type;
        private int flags;
        private int streamId;
        private byte[] payload = new byte[64];
        private int want;
        private int have;
        long skip;
        /** Largest frame this side may send: the other side's SETTINGS_MAX_FRAME_SIZE. */
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private boolean frameSizeKnown;
        private HpackDecoder hpack;
        /** This side's dynamic table limit for headers it receives, from its own SETTINGS; applied to the peer's decoder. */
        private long tableLimit = HpackDecoder.DEFAULT_TABLE_SIZE;
        private byte[] block = new byte[256];
        private int blockLength;
        private int blockStream;
        private boolean blockEndsStream;
        private boolean blockIsPush;
        private boolean continuing;
        private long ts;
        private Stream target;

        Reader(boolean fromClient) {
            this.fromClient = fromClient;
            this.state = fromClient ? State.READ_PREFACE : State.READ_FRAME_HEADER;
        }

        void feed(MemorySegment bytes, long at, long end, long tsMicros) {
            ts = tsMicros;
            while (at < end) {
                switch (state) {
                    case READ_PREFACE -> at = preface(bytes, at, end);
                    case READ_FRAME_HEADER -> {
                        int n = (int) Math.min(9 - headerHave, end - at);
                        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, header, headerHave, n);
                        headerHave += n;
                        at += n;
                        if (headerHave == 9) {
                            headerHave = 0;
                            frameHeader();
                        }
                    }
                    case READ_PAYLOAD -> {
                        int n = (int) Math.min(want - have, end - at);
                        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, payload, have, n);
                        have += n;
                        at += n;
                        if (have == want) {
                            skip = length - want;
                            state = skip > 0 ? State.SKIP_PAYLOAD : State.READ_FRAME_HEADER;
                            frame();
                        }
                    }
                    case READ_DATA_PAD -> {
                        int pad = bytes.get(ValueLayout.JAVA_BYTE, at++) & 0xff;
                        if (pad > length - 1) {
                            bad("http2_bad_padding", "pad length " + pad + " in a DATA frame of " + length + " bytes");
                            return;
                        }
                        data(length - 1 - pad);
                        skip = length - 1;
                        state = skip > 0 ? State.SKIP_PAYLOAD : State.READ_FRAME_HEADER;
                    }
                    case SKIP_PAYLOAD -> {
                        long n = Math.min(skip, end - at);
                        skip -= n;
                        at += n;
                        if (skip == 0) {
                            state = State.READ_FRAME_HEADER;
                        }
                    }
                    case BAD_FRAME -> {
                        return;
                    }
                }
            }
        }

        /** Matches the client preface; on the first mismatch, reads what matched so far as frames (midstream). */
        private long preface(MemorySegment bytes, long at, long end) {
            while (at < end && prefaceAt < PREFACE.length) {
                if (bytes.get(ValueLayout.JAVA_BYTE, at) != PREFACE[prefaceAt]) {
                    state = State.READ_FRAME_HEADER;
                    if (prefaceAt > 0) {
                        int matched = prefaceAt;
                        feed(MemorySegment.ofArray(PREFACE), 0, matched, ts);
                    }
                    return at;
                }
                prefaceAt++;
                at++;
            }
            if (prefaceAt == PREFACE.length) {
                prefaceSeen = true;
                state = State.READ_FRAME_HEADER;
            }
            return at;
        }

        private void frameHeader() {
            length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
            type = header[3] & 0xff;
            flags = header[4] & 0xff;
            streamId = ((header[5] & 0x7f) << 24) | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | (header[8] & 0xff);
            int limit = frameSizeKnown || prefaceSeen || upgraded ? maxFrameSize : MAX_FRAME_SIZE;
            if (length > limit) {
                bad("http2_frame_too_large", "frame of " + length + " bytes above the limit " + limit);
                return;
            }
            if (continuing && (type != CONTINUATION || streamId != blockStream)) {
                bad("http2_expected_continuation", "frame type " + type + " on stream " + streamId
                        + " inside a header block of stream " + blockStream);
                return;
            }
            switch (type) {
                case DATA -> {
                    if ((flags & PADDED) != 0) {
                        if (length == 0) {
                            bad("http2_bad_padding", "PADDED DATA frame without a pad length");
                            return;
                        }
                        state = State.READ_DATA_PAD;
                        return;
                    }
                    data(length);
                    skipPayload(length);
                }
                case HEADERS, PUSH_PROMISE, CONTINUATION -> readPayload(length);
                case SETTINGS -> readPayload(Math.min(length, MAX_SETTINGS_PAYLOAD));
                case RST_STREAM -> readPayload(Math.min(length, 4));
                default -> skipPayload(length);
            }
        }

        private void readPayload(int n) {
            if (payload.length < n) {
                payload = Arrays.copyOf(payload, Math.max(n, payload.length * 2));
            }
            want = n;
            have = 0;
            if (n == 0) {
                skip = length;
                state = skip > 0 ? State.SKIP_PAYLOAD : State.READ_FRAME_HEADER;
                frame();
            } else {
                state = State.READ_PAYLOAD;
            }
        }

        private void skipPayload(long n) {
            skip = n;
            state = n > 0 ? State.SKIP_PAYLOAD : State.READ_FRAME_HEADER;
        }

        private void bad(String anomaly, String detail) {
            ctx.anomaly(anomaly, detail);
            state = State.BAD_FRAME;
        }

        private void data(int bodyBytes) {
            if (streamId == 0) {
                bad("http2_bad_stream_id", "DATA on stream 0");
                return;
            }
            Stream s = find(streamId);
            if (s == null) {
                if (bodyBytes == 0 && (flags & END_STREAM) == 0) {
                    return;
                }
                s = stream(streamId, ts);
                if (s == null) {
                    return;
                }
            }
            if (fromClient) {
                s.requestBodyLen += bodyBytes;
            } else {
                s.responseBodyLen += bodyBytes;
            }
            if ((flags & END_STREAM) != 0) {
                endSide(s, fromClient);
            }
        }

        private void frame() {
            switch (type) {
                case HEADERS, PUSH_PROMISE -> headerFrame();
                case CONTINUATION -> {
                    if (!continuing) {
                        bad("http2_expected_continuation", "CONTINUATION on stream " + streamId + " without HEADERS");
                        return;
                    }
                    appendBlock(0, want);
                }
                case SETTINGS -> settings();
                case RST_STREAM -> {
                    Stream s = find(streamId);
                    if (s != null) {
                        close(s);
                    }
                }
                default -> {
                }
            }
        }

        private void headerFrame() {
            if (streamId == 0) {
                bad("http2_bad_stream_id", (type == HEADERS ? "HEADERS" : "PUSH_PROMISE") + " on stream 0");
                return;
            }
            int p = 0;
            int pad = 0;
            if ((flags & PADDED) != 0) {
                pad = want > 0 ? payload[0] & 0xff : 0;
                p = 1;
            }
            int promised = 0;
            if (type == HEADERS && (flags & PRIORITY) != 0) {
                p += 5;
            } else if (type == PUSH_PROMISE) {
                if (p + 4 <= want) {
                    promised = ((payload[p] & 0x7f) << 24) | (payload[p + 1] & 0xff) << 16
                            | (payload[p + 2] & 0xff) << 8 | (payload[p + 3] & 0xff);
                }
                p += 4;
            }
            if (p + pad > want) {
                bad("http2_bad_padding", "padding and fields of " + (p + pad) + " bytes in a frame of " + want);
                return;
            }
            blockIsPush = type == PUSH_PROMISE;
            blockStream = blockIsPush ? promised : streamId;
            blockEndsStream = !blockIsPush && (flags & END_STREAM) != 0;
            blockLength = 0;
            continuing = true;
            appendBlock(p, want - pad);
        }

        private void appendBlock(int from, int to) {
            int n = to - from;
            if (blockLength + n > MAX_HEADER_BLOCK) {
                bad("http2_header_block_too_large", "max header block: " + MAX_HEADER_BLOCK + " bytes exceeded on stream "
                        + blockStream);
                return;
            }
            if (block.length < blockLength + n) {
                block = Arrays.copyOf(block, Math.min(MAX_HEADER_BLOCK, Math.max(block.length * 2, blockLength + n)));
            }
            System.arraycopy(payload, from, block, blockLength, n);
            blockLength += n;
            if ((flags & END_HEADERS) != 0) {
                continuing = false;
                headerBlock();
            }
        }

        private void headerBlock() {
            Stream open = stream(blockStream, ts);
            if (open == null) {
                closedStream.start(blockStream, ts);
            }
            target = open == null ? closedStream : open;
            if (hpack == null) {
                hpack = new HpackDecoder(!prefaceSeen && !upgraded);
                hpack.maxTableSize((fromClient ? server : client).tableLimit);
            }
            if (hpack.error() == null) {
                long unknownBefore = hpack.unknownReferences();
                if (!hpack.decode(block, 0, blockLength, this)) {
                    String[] e = hpack.error().split(": ", 2);
                    ctx.anomaly(e[0], e[1] + " (stream " + blockStream + ")");
                } else if (hpack.unknownReferences() > unknownBefore && !reportedUnknownIndex) {
                    reportedUnknownIndex = true;
                    ctx.anomaly("http2_hpack_unknown_index", "header fields refer to table entries from before the "
                            + "capture began (stream " + blockStream + ")");
                }
            }
            if (blockIsPush) {
                target.clientClosed = true;
            }
            target = null;
            if (open != null && blockEndsStream) {
                endSide(open, fromClient);
            }
        }

        @Override
        public void field(byte[] b, int nameAt, int nameLength, int valueAt, int valueLength) {
            Stream s = target;
            boolean request = fromClient || blockIsPush;
            if (request) {
                int field = is(b, nameAt, nameLength, METHOD) ? Stream.METHOD
                        : is(b, nameAt, nameLength, AUTHORITY) ? Stream.AUTHORITY
                        : is(b, nameAt, nameLength, PATH) ? Stream.PATH
                        : is(b, nameAt, nameLength, HOST) ? Stream.HOST
                        : is(b, nameAt, nameLength, USER_AGENT) ? Stream.USER_AGENT
                        : is(b, nameAt, nameLength, CONTENT_TYPE) ? Stream.REQUEST_CONTENT_TYPE : -1;
                if (field >= 0) {
                    s.fields.set(field, b, valueAt, valueLength);
                }
                return;
            }
            if (is(b, nameAt, nameLength, STATUS)) {
                s.status = decimal(b, valueAt, valueLength, 3);
            } else if (is(b, nameAt, nameLength, CONTENT_TYPE)) {
                s.fields.set(Stream.CONTENT_TYPE, b, valueAt, valueLength);
            } else if (is(b, nameAt, nameLength, GRPC_STATUS)) {
                s.grpcStatus = decimal(b, valueAt, valueLength, 9);
            } else if (is(b, nameAt, nameLength, GRPC_MESSAGE)) {
                s.fields.set(Stream.GRPC_MESSAGE, b, valueAt, valueLength);
            }
        }

        private void settings() {
            if ((flags & ACK) != 0) {
                return;
            }
            if (streamId != 0 || length % 6 != 0) {
                bad("http2_bad_settings", "SETTINGS of " + length + " bytes on stream " + streamId);
                return;
            }
            Reader peer = fromClient ? server : client;
            for (int p = 0; p + 6 <= want; p += 6) {
                int id = (payload[p] & 0xff) << 8 | (payload[p + 1] & 0xff);
                long value = (payload[p + 2] & 0xffL) << 24 | (payload[p + 3] & 0xff) << 16 | (payload[p + 4] & 0xff) << 8
                        | (payload[p + 5] & 0xff);
                if (id == 1) {
                    tableLimit = value;
                    if (peer.hpack != null) {
                        peer.hpack.maxTableSize(value);
                    }
                } else if (id == 5) {
                    if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_FRAME_SIZE) {
                        bad("http2_bad_settings", "SETTINGS_MAX_FRAME_SIZE " + value + " outside 16384..16777215");
                        return;
                    }
                    peer.maxFrameSize = (int) value;
                    peer.frameSizeKnown = true;
                }
            }
        }
    }
}
