package dev.vigil.net.http;

import dev.vigil.model.net.HttpRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Ascii;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.LineBuffer;
import dev.vigil.net.app.SegmentBuffer;
import dev.vigil.net.http2.Http2Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * HTTP/1.x analysis of one connection, after Netty's {@code HttpObjectDecoder}: one incremental
 * state machine per direction, requests and responses paired in order (pipelining), bodies framed by
 * {@code Content-Length}, chunked coding or the end of the connection and counted, never stored
 * beyond a bounded prefix of the request body. As in Zeek, the length of a {@code gzip} or
 * {@code deflate} body is its decoded length ({@link BodyDecoder}). Each pair becomes one {@link HttpRecord} with Zeek's
 * {@code http.log} fields when both halves are complete, or at the end of the connection.
 *
 * <h2>Leaving HTTP</h2>
 * A {@code CONNECT} answered 2xx, or a {@code 101 Switching Protocols}, ends HTTP on the connection:
 * pending records are emitted and the rest goes to {@link AppContext#switchTo}: to the HTTP/2
 * analyzer when the request asked for {@code Upgrade: h2c} (its stream 1 is the upgraded request and
 * the service becomes {@code http,http2}), otherwise to protocol detection ({@code null}), so a TLS
 * tunnel through a proxy is logged as {@code http,ssl}. Originator bytes that arrive while such a
 * request awaits its answer are held (bounded) and handed over first.
 *
 * <h2>Anomalies</h2>
 * {@code http_bad_request_line}, {@code http_bad_status_line}, {@code http_line_too_long},
 * {@code http_too_many_headers}, {@code http_headers_too_large}, {@code http_bad_content_length},
 * {@code http_conflicting_content_length}, {@code http_te_and_cl} (both framings: a smuggling sign;
 * chunked wins), {@code http_bad_transfer_encoding}, {@code http_bad_chunk_size},
 * {@code http_bad_chunk_end}, {@code http_excessive_pipelining}, {@code http_paused_overflow},
 * {@code http_body_decoding_failed}, {@code http_decoded_body_too_large}. After
 * a framing error the direction stops being parsed; a capture gap inside a body is skipped, anywhere
 * else it stops the direction.
 *
 * <p>Limits: {@link #MAX_LINE_LENGTH} bytes per start or header line, {@link #MAX_HEADERS} headers and
 * {@link #MAX_HEADER_BYTES} header bytes per message, {@link #MAX_PENDING} requests awaiting
 * responses (Zeek's {@code max_pending_requests}; the oldest is logged to make room),
 * {@link #MAX_POST_BODY} request-body bytes kept as {@code post_body}, {@link #MAX_PAUSED_BYTES}
 * originator bytes held during CONNECT or Upgrade, {@link #MAX_PROXIED} proxy headers kept,
 * {@link BodyDecoder#MAX_DECODED_BYTES} decoded bytes per body.
 */
final class HttpAnalyzer implements AppAnalyzer {

    /** Longest start line or header line, without its line break. */
    static final int MAX_LINE_LENGTH = 8192;
    /** Header lines per message (trailers included). */
    static final int MAX_HEADERS = 128;
    /** Bytes of all header lines of one message. */
    static final int MAX_HEADER_BYTES = 65536;
    /** Requests awaiting their responses. */
    static final int MAX_PENDING = 100;
    /** Request-body bytes kept for {@code post_body}. */
    static final int MAX_POST_BODY = 1024;
    /** Originator bytes held while a CONNECT or Upgrade request awaits its response. */
    static final int MAX_PAUSED_BYTES = 65536;
    /** Proxy headers ({@code Via}, {@code X-Forwarded-For} …) kept per request. */
    static final int MAX_PROXIED = 8;

    private static final byte[] HOST = Ascii.bytes("host");
    private static final byte[] USER_AGENT = Ascii.bytes("user-agent");
    private static final byte[] REFERER = Ascii.bytes("referer");
    private static final byte[] ORIGIN = Ascii.bytes("origin");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final byte[] CONNECTION = Ascii.bytes("connection");
    private static final byte[] UPGRADE = Ascii.bytes("upgrade");
    private static final byte[] AUTHORIZATION = Ascii.bytes("authorization");
    private static final byte[] PROXY_AUTHORIZATION = Ascii.bytes("proxy-authorization");
    private static final byte[] CHUNKED = Ascii.bytes("chunked");
    private static final byte[] CONTENT_ENCODING = Ascii.bytes("content-encoding");
    private static final byte[] GZIP = Ascii.bytes("gzip");
    private static final byte[] X_GZIP = Ascii.bytes("x-gzip");
    private static final byte[] DEFLATE = Ascii.bytes("deflate");
    private static final byte[] H2C = Ascii.bytes("h2c");
    private static final byte[] BASIC = Ascii.bytes("basic ");
    private static final byte[] CONNECT = Ascii.bytes("CONNECT");
    private static final byte[] HEAD = Ascii.bytes("HEAD");
    private static final byte[] HTTP_SLASH = Ascii.bytes("http/");
    private static final byte[] ARROW = Ascii.bytes(" -> ");
    private static final byte[][] PROXY_HEADERS = {Ascii.bytes("forwarded"), Ascii.bytes("x-forwarded-for"),
        Ascii.bytes("x-forwarded-from"), Ascii.bytes("client-ip"), Ascii.bytes("via"),
        Ascii.bytes("xroxy-connection"), Ascii.bytes("proxy-connection")};

    private enum State {
        READ_START_LINE, READ_HEADER, READ_FIXED_BODY, READ_CHUNK_SIZE, READ_CHUNK_DATA, READ_CHUNK_END,
        READ_TRAILER, READ_BODY_TO_CLOSE, PAUSED, BAD_MESSAGE
    }

    private static final int NO_SWITCH = 0;
    private static final int SWITCH_TUNNEL = 1;
    private static final int SWITCH_H2C = 2;

    private final AppContext ctx;
    private final Side requests = new Side(true);
    private final Side responses = new Side(false);
    private final ArrayDeque<Transaction> pending = new ArrayDeque<>();
    /** Absorbs the fields of a message whose transaction was logged early (excessive pipelining); made when needed. */
    private Transaction orphan;
    private Transaction free;
    private int depth;
    private int switchKind = NO_SWITCH;
    private AppAnalyzer successor;

    private final SegmentBuffer paused = new SegmentBuffer(MAX_PAUSED_BYTES);
    private long pausedTs;

    HttpAnalyzer(AppContext ctx) {
        this.ctx = ctx;
        ctx.encrypted(false);
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        if (successor != null) {
            successor.data(direction, bytes, offset, length, tsMicros);
        } else {
            (direction == Direction.ORIG ? requests : responses).feed(bytes, offset, offset + length, tsMicros);
        }
    }

    @Override
    public void gap(Direction direction, long length) {
        if (successor != null) {
            successor.gap(direction, length);
        } else {
            (direction == Direction.ORIG ? requests : responses).gap(length);
        }
    }

    @Override
    public void end(long tsMicros) {
        if (successor != null) {
            successor.end(tsMicros);
            return;
        }
        if (responses.state == State.READ_BODY_TO_CLOSE) {
            responses.txn.responseDone = true;
        }
        flush();
        requests.closeDecoder();
        responses.closeDecoder();
    }

    private Transaction newTransaction(long ts) {
        if (pending.size() >= MAX_PENDING) {
            ctx.anomaly("http_excessive_pipelining", "max pending requests: " + MAX_PENDING
                    + " reached (depth=" + depth + "); logging the oldest without its response");
            Transaction oldest = pending.pollFirst();
            if (responses.txn == oldest || requests.txn == oldest) {
                if (orphan == null) {
                    orphan = new Transaction();
                }
                orphan.start(0, 0);
                if (responses.txn == oldest) {
                    responses.txn = orphan;
                }
                if (requests.txn == oldest) {
                    requests.txn = orphan;
                }
            }
            emit(oldest);
        }
        Transaction t = free;
        if (t == null) {
            t = new Transaction();
        } else {
            free = t.nextFree;
            t.nextFree = null;
        }
        t.start(ts, ++depth);
        pending.addLast(t);
        return t;
    }

    /** The transaction the next response answers: the oldest without one, or a new response-only one. */
    private Transaction responseTarget(long ts) {
        for (Transaction t : pending) {
            if (!t.responseDone) {
                return t;
            }
        }
        Transaction t = newTransaction(ts);
        t.requestDone = true;
        return t;
    }

    private void drain() {
        while (!pending.isEmpty() && pending.peekFirst().requestDone && pending.peekFirst().responseDone) {
            emit(pending.pollFirst());
        }
    }

    private void flush() {
        while (!pending.isEmpty()) {
            emit(pending.pollFirst());
        }
    }

    private void emit(Transaction t) {
        ctx.emit(new HttpRecord(t.ts / 1e6, ctx.uid(), ctx.id(), t.depth, t.text(Transaction.METHOD),
                t.text(Transaction.HOST), t.text(Transaction.URI), t.text(Transaction.REFERRER),
                t.text(Transaction.VERSION), t.text(Transaction.USER_AGENT), t.text(Transaction.ORIGIN),
                t.requestBodyLen, t.responseBodyLen, t.statusCode < 0 ? null : t.statusCode,
                t.text(Transaction.STATUS_MSG), t.infoCode < 0 ? null : t.infoCode, t.text(Transaction.INFO_MSG),
                t.text(Transaction.USERNAME), t.proxied(), t.text(Transaction.POST_BODY)));
        t.nextFree = free;
        free = t;
    }

    private void hold(MemorySegment bytes, long at, int length, long ts) {
        if (!paused.append(bytes, at, length)) {
            ctx.anomaly("http_paused_overflow", "max paused bytes: " + MAX_PAUSED_BYTES
                    + " exceeded while a CONNECT or Upgrade request awaits its response");
            requests.state = State.BAD_MESSAGE;
            return;
        }
        pausedTs = ts;
    }

    /** Resumes parsing requests held while a CONNECT or Upgrade request awaited an answer that did not switch. */
    private void resumeRequests() {
        requests.state = State.READ_START_LINE;
        if (paused.length() > 0) {
            int n = paused.length();
            MemorySegment held = paused.snapshot();
            paused.clear();
            requests.feed(held, 0, n, pausedTs);
        }
    }

    /** Leaves HTTP: emits what is pending and hands the rest of the connection over. */
    private void leave(Transaction upgraded, MemorySegment bytes, long at, long end, long ts) {
        AppAnalyzer next = null;
        if (switchKind == SWITCH_H2C) {
            next = Http2Protocol.afterUpgrade(ctx, upgraded.text(Transaction.METHOD), upgraded.text(Transaction.HOST),
                    upgraded.text(Transaction.URI), upgraded.text(Transaction.USER_AGENT), upgraded.ts);
            ctx.addService("http2");
        }
        flush();
        requests.closeDecoder();
        responses.closeDecoder();
        successor = ctx.switchTo(next);
        if (paused.length() > 0) {
            successor.data(Direction.ORIG, paused.segment(), 0, paused.length(), pausedTs);
        }
        paused.release();
        if (at < end) {
            successor.data(Direction.RESP, bytes, at, (int) (end - at), ts);
        }
    }

    private static boolean tokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int trimStart(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** The parser of one direction. */
    private final class Side {
        final boolean request;
        State state = State.READ_START_LINE;
        /** The transaction this side is filling; null before its first message. */
        Transaction txn;
        private final LineBuffer lines = new LineBuffer(MAX_LINE_LENGTH);
        /** The current line: {@link #lines}' buffer, valid while the line is handled. */
        private byte[] line;
        private int headers;
        private int headerBytes;
        private long remaining;
        private long contentLength;
        private boolean sawContentLength;
        private boolean chunked;
        private boolean otherCoding;
        private boolean upgradeH2c;
        private boolean upgradeHeader;
        private int coding;
        private boolean decoding;
        /** Created for the first encoded body: most connections never need its buffers. */
        private BodyDecoder decoder;
        private int status;
        private int foldField = -1;
        private long lastTs;

        Side(boolean request) {
            this.request = request;
        }

        void closeDecoder() {
            if (decoder != null) {
                decoder.close();
                decoder = null;
            }
        }

        void feed(MemorySegment bytes, long at, long end, long ts) {
            lastTs = ts;
            while (at < end && successor == null) {
                switch (state) {
                    case READ_START_LINE, READ_HEADER, READ_CHUNK_SIZE, READ_CHUNK_END, READ_TRAILER -> {
                        long next = lines.take(bytes, at, end);
                        if (next == LineBuffer.NEED_MORE) {
                            return;
                        }
                        if (next == LineBuffer.TOO_LONG) {
                            bad("http_line_too_long", "max line length: " + MAX_LINE_LENGTH + " exceeded in "
                                    + state.name().toLowerCase(java.util.Locale.ROOT));
                            return;
                        }
                        at = next;
                        line = lines.bytes();
                        onLine(lines.length(), ts);
                        if (switchKind != NO_SWITCH) {
                            leave(txn, bytes, at, end, ts);
                            return;
                        }
                    }
                    case READ_FIXED_BODY, READ_CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, end - at);
                        body(bytes, at, n);
                        at += n;
                        remaining -= n;
                        if (remaining == 0) {
                            if (state == State.READ_FIXED_BODY) {
                                messageDone();
                            } else {
                                state = State.READ_CHUNK_END;
                            }
                        }
                    }
                    case READ_BODY_TO_CLOSE -> {
                        body(bytes, at, (int) (end - at));
                        at = end;
                    }
                    case PAUSED -> {
                        hold(bytes, at, (int) (end - at), ts);
                        at = end;
                    }
                    case BAD_MESSAGE -> {
                        return;
                    }
                }
            }
        }

        void gap(long length) {
            switch (state) {
                case READ_FIXED_BODY, READ_CHUNK_DATA -> {
                    if (length > remaining) {
                        state = State.BAD_MESSAGE;
                    } else {
                        remaining -= length;
                        if (remaining == 0) {
                            if (state == State.READ_FIXED_BODY) {
                                messageDone();
                            } else {
                                state = State.READ_CHUNK_END;
                            }
                        }
                    }
                }
                case READ_BODY_TO_CLOSE, BAD_MESSAGE -> {
                }
                default -> state = State.BAD_MESSAGE;
            }
        }

        private void bad(String anomaly, String detail) {
            ctx.anomaly(anomaly, detail);
            state = State.BAD_MESSAGE;
        }


        private void body(MemorySegment bytes, long at, int n) {
            long counted = n;
            if (decoding) {
                counted = decoder.feed(bytes, at, n);
                if (decoder.failed() || decoder.limited()) {
                    decoding = false;
                    ctx.anomaly(decoder.failed() ? "http_body_decoding_failed" : "http_decoded_body_too_large",
                            decoder.failed() ? "Content-Encoding body does not decode; counting wire bytes"
                                    : "max decoded body: " + BodyDecoder.MAX_DECODED_BYTES + " bytes reached");
                }
            }
            if (request) {
                txn.requestBodyLen += counted;
                txn.appendCapped(Transaction.POST_BODY, bytes, at, n, MAX_POST_BODY);
            } else {
                txn.responseBodyLen += counted;
            }
        }

        private void onLine(int length, long ts) {
            switch (state) {
                case READ_START_LINE -> {
                    if (length > 0) {
                        resetHeaders();
                        if (request) {
                            startRequest(length, ts);
                        } else {
                            startResponse(length, ts);
                        }
                    }
                }
                case READ_HEADER -> {
                    if (length == 0) {
                        headersDone();
                    } else if (++headers > MAX_HEADERS) {
                        bad("http_too_many_headers", "max headers: " + MAX_HEADERS + " exceeded");
                    } else if ((headerBytes += length) > MAX_HEADER_BYTES) {
                        bad("http_headers_too_large", "max header bytes: " + MAX_HEADER_BYTES + " exceeded");
                    } else {
                        header(length);
                    }
                }
                case READ_CHUNK_SIZE -> chunkSize(length);
                case READ_CHUNK_END -> {
                    if (length != 0) {
                        ctx.anomaly("http_bad_chunk_end", "chunk data not followed by CRLF");
                    }
                    state = State.READ_CHUNK_SIZE;
                }
                case READ_TRAILER -> {
                    if (length == 0) {
                        messageDone();
                    } else if (++headers > MAX_HEADERS) {
                        bad("http_too_many_headers", "max headers: " + MAX_HEADERS + " exceeded in trailers");
                    }
                }
                default -> {
                }
            }
        }

        private void resetHeaders() {
            headers = 0;
            headerBytes = 0;
            contentLength = 0;
            sawContentLength = false;
            chunked = false;
            otherCoding = false;
            upgradeH2c = false;
            upgradeHeader = false;
            coding = BodyDecoder.NONE;
            decoding = false;
            foldField = -1;
        }

        private void startRequest(int length, long ts) {
            int m = 0;
            while (m < length && tokenChar(line[m])) {
                m++;
            }
            if (m == 0 || m == length || line[m] != ' ') {
                bad("http_bad_request_line", "no method token before the first space");
                return;
            }
            int uriStart = trimStart(line, m + 1, length);
            int uriEnd = length;
            int versionAt = -1;
            int v = length - 8;
            if (v > uriStart && line[v - 1] == ' ' && Ascii.startsWithIgnoreCase(line, v, 8, HTTP_SLASH)
                    && digit(v + 5) && line[v + 6] == '.' && digit(v + 7)) {
                versionAt = v + 5;
                uriEnd = trimEnd(line, uriStart, v - 1);
            }
            Transaction t = newTransaction(ts);
            t.set(Transaction.METHOD, line, 0, m);
            t.setUnescaped(Transaction.URI, line, uriStart, uriEnd - uriStart);
            if (versionAt >= 0) {
                t.set(Transaction.VERSION, line, versionAt, 3);
            }
            t.connect = java.util.Arrays.equals(line, 0, m, CONNECT, 0, CONNECT.length);
            t.head = java.util.Arrays.equals(line, 0, m, HEAD, 0, HEAD.length);
            txn = t;
            state = State.READ_HEADER;
        }

        private void startResponse(int length, long ts) {
            if (length < 12 || !Ascii.startsWithIgnoreCase(line, 0, length, HTTP_SLASH) || !digit(5)
                    || line[6] != '.' || !digit(7) || line[8] != ' ' || !digits(9, 3) || (length > 12 && line[12] != ' ')) {
                bad("http_bad_status_line", "status line is not HTTP/x.y NNN");
                return;
            }
            status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            Transaction t = responseTarget(ts);
            txn = t;
            int reasonAt = Math.min(length, 13);
            t.statusCode = status;
            t.set(Transaction.STATUS_MSG, line, reasonAt, length - reasonAt);
            t.set(Transaction.VERSION, line, 5, 3);
            if (status >= 100 && status < 200) {
                t.infoCode = status;
                t.set(Transaction.INFO_MSG, line, reasonAt, length - reasonAt);
            }
            state = State.READ_HEADER;
        }

        private boolean digit(int at) {
            return line[at] >= '0' && line[at] <= '9';
        }

        private boolean digits(int from, int n) {
            for (int i = from; i < from + n; i++) {
                if (line[i] < '0' || line[i] > '9') {
                    return false;
                }
            }
            return true;
        }

        private void header(int length) {
            if (line[0] == ' ' || line[0] == '\t') {
                if (foldField >= 0) {
                    int from = trimStart(line, 0, length);
                    txn.append(foldField, line, from - 1, trimEnd(line, from, length) - from + 1);
                }
                return;
            }
            foldField = -1;
            int colon = 0;
            while (colon < length && line[colon] != ':') {
                colon++;
            }
            if (colon == length) {
                return;
            }
            int nameEnd = trimEnd(line, 0, colon);
            int from = trimStart(line, colon + 1, length);
            int to = trimEnd(line, from, length);
            if (Ascii.equalsIgnoreCase(line, 0, nameEnd, CONTENT_LENGTH)) {
                long cl = Ascii.parseDecimal(line, from, to - from, 18);
                if (cl < 0) {
                    bad("http_bad_content_length", "Content-Length is not a number");
                } else if (sawContentLength && cl != contentLength) {
                    bad("http_conflicting_content_length", "Content-Length " + contentLength + " then " + cl);
                } else {
                    contentLength = cl;
                    sawContentLength = true;
                }
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, TRANSFER_ENCODING)) {
                transferEncoding(from, to);
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, CONTENT_ENCODING)) {
                int n = to - from;
                coding = Ascii.equalsIgnoreCase(line, from, n, GZIP) || Ascii.equalsIgnoreCase(line, from, n, X_GZIP)
                        ? BodyDecoder.GZIP : Ascii.equalsIgnoreCase(line, from, n, DEFLATE) ? BodyDecoder.DEFLATE
                        : BodyDecoder.NONE;
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, UPGRADE)) {
                upgradeHeader = true;
                upgradeH2c |= Ascii.listContainsIgnoreCase(line, from, to - from, H2C);
            } else if (request) {
                requestHeader(nameEnd, from, to);
            }
        }

        private void transferEncoding(int from, int to) {
            int last = to;
            while (last > from && line[last - 1] != ',') {
                last--;
            }
            int start = trimStart(line, last, to);
            if (Ascii.equalsIgnoreCase(line, start, to - start, CHUNKED)) {
                chunked = true;
                otherCoding = false;
            } else {
                chunked = false;
                otherCoding = true;
            }
        }

        private void requestHeader(int nameEnd, int from, int to) {
            int field = -1;
            if (Ascii.equalsIgnoreCase(line, 0, nameEnd, HOST)) {
                field = Transaction.HOST;
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, USER_AGENT)) {
                field = Transaction.USER_AGENT;
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, REFERER)) {
                field = Transaction.REFERRER;
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, ORIGIN)) {
                field = Transaction.ORIGIN;
            } else if (Ascii.equalsIgnoreCase(line, 0, nameEnd, AUTHORIZATION)
                    || Ascii.equalsIgnoreCase(line, 0, nameEnd, PROXY_AUTHORIZATION)) {
                if (Ascii.startsWithIgnoreCase(line, from, to - from, BASIC)) {
                    int credentials = trimStart(line, from + BASIC.length, to);
                    txn.setBasicUser(Transaction.USERNAME, line, credentials, to - credentials);
                }
            } else if (!Ascii.equalsIgnoreCase(line, 0, nameEnd, CONNECTION)) {
                for (byte[] proxy : PROXY_HEADERS) {
                    if (Ascii.equalsIgnoreCase(line, 0, nameEnd, proxy)) {
                        proxied(nameEnd, from, to);
                        break;
                    }
                }
            }
            if (field >= 0) {
                txn.set(field, line, from, to - from);
                foldField = field;
            }
        }

        /** Keeps {@code NAME -> value} with the name upper-cased, as Zeek's {@code proxied}. */
        private void proxied(int nameEnd, int from, int to) {
            int n = nameEnd + ARROW.length + (to - from);
            byte[] entry = new byte[n];
            for (int i = 0; i < nameEnd; i++) {
                int c = line[i];
                entry[i] = (byte) (c >= 'a' && c <= 'z' ? c - 32 : c);
            }
            System.arraycopy(ARROW, 0, entry, nameEnd, ARROW.length);
            System.arraycopy(line, from, entry, nameEnd + ARROW.length, to - from);
            txn.addProxied(entry, 0, n);
        }

        private void headersDone() {
            Transaction t = txn;
            if (request) {
                if (upgradeHeader) {
                    t.upgrade = true;
                    t.upgradeH2c = upgradeH2c;
                }
                if (!frameBody(true)) {
                    return;
                }
                if (state == State.READ_HEADER) {
                    messageDone();
                }
                return;
            }
            if (status >= 100 && status < 200 && status != 101) {
                state = State.READ_START_LINE;
                return;
            }
            if (status == 101 || (t.connect && status >= 200 && status < 300)) {
                t.responseDone = true;
                switchKind = status == 101 && t.upgradeH2c && upgradeH2c ? SWITCH_H2C : SWITCH_TUNNEL;
                return;
            }
            if (t.head || status == 204 || status == 304) {
                messageDone();
                return;
            }
            if (!frameBody(false)) {
                return;
            }
            if (state == State.READ_HEADER) {
                state = State.READ_BODY_TO_CLOSE;
            }
        }

        /**
         * Chooses the body framing from the headers (RFC 9112 section 6.3); leaves the state at
         * READ_HEADER when the message has no framing of its own. False after a framing error.
         */
        private boolean frameBody(boolean isRequest) {
            if (chunked) {
                if (sawContentLength) {
                    ctx.anomaly("http_te_and_cl", "Transfer-Encoding chunked and Content-Length " + contentLength);
                }
                state = State.READ_CHUNK_SIZE;
            } else if (otherCoding && isRequest) {
                bad("http_bad_transfer_encoding", "request Transfer-Encoding does not end in chunked");
                return false;
            } else if (otherCoding) {
                state = State.READ_BODY_TO_CLOSE;
            } else if (sawContentLength && contentLength > 0) {
                remaining = contentLength;
                state = State.READ_FIXED_BODY;
            } else if (sawContentLength || isRequest) {
                messageDone();
            }
            startDecoding();
            return true;
        }

        /** Decodes the body about to be read when its Content-Encoding is gzip or deflate. */
        private void startDecoding() {
            boolean body = state == State.READ_FIXED_BODY || state == State.READ_CHUNK_SIZE
                    || state == State.READ_BODY_TO_CLOSE || state == State.READ_HEADER;
            decoding = body && coding != BodyDecoder.NONE;
            if (decoding) {
                if (decoder == null) {
                    decoder = new BodyDecoder();
                }
                decoder.start(coding);
            }
        }

        private void chunkSize(int length) {
            int end = 0;
            while (end < length && line[end] != ';' && line[end] != ' ' && line[end] != '\t') {
                end++;
            }
            long size = 0;
            if (end == 0 || end > 15) {
                bad("http_bad_chunk_size", "chunk size line is not 1 to 15 hex digits");
                return;
            }
            for (int i = 0; i < end; i++) {
                int c = line[i];
                int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
                if (d < 0) {
                    bad("http_bad_chunk_size", "chunk size line is not 1 to 15 hex digits");
                    return;
                }
                size = size * 16 + d;
            }
            if (size == 0) {
                headers = 0;
                state = State.READ_TRAILER;
            } else {
                remaining = size;
                state = State.READ_CHUNK_DATA;
            }
        }

        private void messageDone() {
            Transaction t = txn;
            if (request) {
                boolean pause = t.connect || t.upgrade;
                t.requestDone = true;
                state = pause ? State.PAUSED : State.READ_START_LINE;
                drain();
            } else {
                t.responseDone = true;
                state = State.READ_START_LINE;
                boolean resume = requests.state == State.PAUSED && (t.connect || t.upgrade);
                drain();
                if (resume) {
                    resumeRequests();
                }
            }
        }
    }
}
