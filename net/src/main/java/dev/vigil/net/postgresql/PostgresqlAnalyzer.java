package dev.vigil.net.postgresql;

import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import dev.vigil.net.tls.TlsProtocol;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows the PostgreSQL frontend/backend protocol v3 (PostgreSQL docs, "Frontend/Backend Protocol")
 * and emits Zeek's {@code postgresql} records: one per SSLRequest, startup (with the authentication
 * methods asked for and the outcome), simple query, failed Parse, Execute of the extended protocol,
 * and Terminate.
 *
 * <p>Frontend requests wait in a queue (with Sync markers) that backend messages complete in order,
 * as the protocol is strictly ordered: DataRow counts rows, CommandComplete/EmptyQueryResponse/
 * PortalSuspended finish an Execute, ErrorResponse fails the head request, ReadyForQuery finishes a
 * simple query or startup and flushes an extended-protocol batch up to its Sync. An accepted
 * SSLRequest hands the connection to the TLS analyzer ({@link AppContext#switchTo}); an accepted
 * GSSENCRequest makes it encrypted and ends parsing.
 *
 * <p>Limits: startup packets of at most {@value #MAX_STARTUP_LENGTH} bytes (the server's own limit);
 * of other messages at most {@value #MAX_CAPTURE} body bytes are read (the rest is skipped unread);
 * record strings of at most {@value #MAX_TEXT} bytes; {@value #MAX_PENDING} queued requests (the
 * oldest is logged unanswered beyond that, {@code postgresql_pending_overflow}); {@value
 * #MAX_STATEMENTS} remembered prepared statements and portals.
 */
final class PostgresqlAnalyzer extends DecoderPair {

    static final int MAX_STARTUP_LENGTH = 10000;
    static final int MAX_CAPTURE = 8192;
    static final int MAX_TEXT = 4096;
    static final int MAX_PENDING = 64;
    static final int MAX_STATEMENTS = 64;

    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;

    private enum Kind {
        SSL("ssl_request"), GSS("gssenc_request"), STARTUP("startup"), SIMPLE("simple_query"), PARSE("parse"),
        EXECUTE("execute"), SYNC(null);

        final String frontend;

        Kind(String frontend) {
            this.frontend = frontend;
        }
    }

    /** One frontend request waiting for the backend. */
    private static final class Request {
        final Kind kind;
        final double ts;
        final String arg;
        String backend;
        StringBuilder backendArg;
        Boolean success;
        long dataRows;
        Long tagRows;

        Request(Kind kind, double ts, String arg) {
            this.kind = kind;
            this.ts = ts;
            this.arg = arg;
        }

        void backendArg(String value) {
            if (backendArg == null) {
                backendArg = new StringBuilder(value);
            } else if (backendArg.length() < MAX_TEXT) {
                backendArg.append(',').append(value);
            }
        }
    }

    private final Frontend frontend = new Frontend();
    private final Backend backend = new Backend();
    private final ArrayDeque<Request> pending = new ArrayDeque<>();
    private final Map<String, String> statements = boundedMap();
    private final Map<String, String> portals = boundedMap();
    private String user;
    private String database;
    private String applicationName;
    private String serverVersion;
    private String authMechanism;
    private MemorySegment currentInput;
    private AppAnalyzer successor;
    private long successorFrom = -1;

    PostgresqlAnalyzer(AppContext context) {
        super(context, "postgresql", true);
    }

    private static Map<String, String> boundedMap() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > MAX_STATEMENTS;
            }
        };
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? frontend : backend;
    }

    @Override
    protected String sender(Direction direction) {
        return direction == Direction.ORIG ? "frontend" : "backend";
    }

    @Override
    public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
        currentInput = bytes;
        super.data(direction, bytes, offset, length, tsMicros);
        currentInput = null;
        if (successor != null && successorFrom >= 0) {
            long from = successorFrom;
            successorFrom = -1;
            long rest = offset + length - from;
            if (rest > 0) {
                successor.data(direction, bytes, from, (int) rest, tsMicros);
            }
        }
    }

    @Override
    protected boolean pairedInOrder() {
        return true;
    }

    @Override
    public void end(long tsMicros) {
        nowMicros = tsMicros;
        flushUnanswered();
    }

    private void enqueue(Request request) {
        if (pending.size() >= MAX_PENDING) {
            Request oldest = pending.poll();
            context.anomaly("postgresql_pending_overflow", MAX_PENDING + " requests await the backend; the oldest ("
                    + (oldest.kind.frontend == null ? "sync" : oldest.kind.frontend) + ") is logged unanswered");
            emit(oldest);
        }
        pending.add(request);
    }

    private void emit(Request r) {
        if (r.kind.frontend == null) {
            return;
        }
        Long rows = null;
        boolean failedWithoutRows = Boolean.FALSE.equals(r.success) && r.dataRows == 0 && r.tagRows == null;
        if ((r.kind == Kind.SIMPLE || r.kind == Kind.EXECUTE) && !failedWithoutRows) {
            rows = r.dataRows > 0 || r.tagRows == null ? r.dataRows : r.tagRows;
        }
        context.emit(new PostgresqlRecord(r.ts, context.uid(), context.id(), user, database, applicationName,
                r.kind.frontend, r.arg, r.backend, r.backendArg == null ? null : r.backendArg.toString(), r.success, rows,
                serverVersion, authMechanism));
    }

    private void emitNow(String frontendName) {
        context.emit(new PostgresqlRecord(now(), context.uid(), context.id(), user, database, applicationName,
                frontendName, null, null, null, null, null, serverVersion, authMechanism));
    }

    private void flushUnanswered() {
        while (!pending.isEmpty()) {
            Request r = pending.poll();
            if (r.kind != Kind.PARSE) {
                emit(r);
            }
        }
    }

    private Request head() {
        return pending.peek();
    }

    /** The backend completed the head request (CommandComplete and friends for Execute). */
    private void completeHead(Request r) {
        pending.poll();
        r.success = Boolean.TRUE;
        emit(r);
    }

    private void error(String fields) {
        Request r = head();
        if (r == null || r.kind == Kind.SYNC) {
            return;
        }
        r.backend = r.backend == null ? "error" : r.backend + ",error";
        r.backendArg(fields);
        r.success = Boolean.FALSE;
        if (r.kind != Kind.SIMPLE) {
            pending.poll();
            emit(r);
        }
    }

    private void readyForQuery(int status) {
        Request r = head();
        if (r == null) {
            return;
        }
        if (r.kind == Kind.SIMPLE || r.kind == Kind.STARTUP) {
            pending.poll();
            if (r.success == null) {
                r.success = status == 'I' || status == 'T';
            }
            emit(r);
            return;
        }
        while (!pending.isEmpty()) {
            Request skipped = pending.poll();
            if (skipped.kind == Kind.SYNC) {
                return;
            }
            if (skipped.kind == Kind.EXECUTE) {
                skipped.success = Boolean.FALSE;
                skipped.backend = "skipped";
                emit(skipped);
            }
        }
    }

    private void switchToTls(long from) {
        frontend.stop();
        backend.stop();
        successor = context.switchTo(new TlsProtocol().create(context));
        successorFrom = from;
    }

    /** Reads a NUL-terminated string at {@code at} before {@code end}; returns its end (the NUL) or -1. */
    private static long cstringEnd(MemorySegment in, long at, long end) {
        return Bytes.indexOf(in, at, end, 0);
    }

    private static String text(MemorySegment in, long at, long end) {
        return Bytes.utf8(in, at, (int) (end - at), MAX_TEXT);
    }

    /**
     * Typed messages (a type byte and a length that counts itself): the first {@link #MAX_CAPTURE}
     * body bytes of the types a side reads, the rest skipped; other known types are only noted.
     */
    private abstract class Typed extends StreamDecoder {
        private final String sender;

        Typed(String sender, int capacity) {
            super(capacity);
            this.sender = sender;
        }

        /** True for the message types whose body this side reads. */
        abstract boolean read(int type);

        /** A message of a {@link #read} type: its captured body is {@code [at, end)}. */
        abstract void message(int type, MemorySegment in, long at, long end);

        /** A message whose body is skipped; false for a type this side does not know. */
        abstract boolean noted(int type);

        int decodeTyped(MemorySegment in, long offset, int length) {
            if (length < 5) {
                return needMore(5);
            }
            int type = Bytes.u8(in, offset);
            int size = Bytes.i32(in, offset + 1);
            if (size < 4) {
                return malformed(sender + " message '" + (char) type + "' length " + size + " under 4", length);
            }
            int body = size - 4;
            if (read(type)) {
                int capture = Math.min(body, MAX_CAPTURE);
                if (length < 5 + capture) {
                    return needMore(5 + capture);
                }
                message(type, in, offset + 5, offset + 5 + capture);
                skip(body - capture);
                return 5 + capture;
            }
            if (!noted(type)) {
                return malformed("unknown " + sender + " message type 0x" + Integer.toHexString(type), length);
            }
            skip(body);
            return 5;
        }

        private int malformed(String detail, int length) {
            context.anomaly("postgresql_bad_message", detail + "; parsing stops");
            stop();
            return length;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("postgresql_framing", detail);
        }
    }

    /** The frontend: an untyped startup phase, then typed messages. */
    private final class Frontend extends Typed {
        private boolean typed;

        Frontend() {
            super("frontend", Math.max(MAX_STARTUP_LENGTH, MAX_CAPTURE + 5));
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            return typed ? decodeTyped(in, offset, length) : decodeStartup(in, offset, length);
        }

        private int decodeStartup(MemorySegment in, long offset, int length) {
            if (length < 8) {
                return needMore(8);
            }
            int size = Bytes.i32(in, offset);
            int code = Bytes.i32(in, offset + 4);
            if (size < 8 || size > MAX_STARTUP_LENGTH) {
                context.anomaly("postgresql_bad_startup", "startup packet length " + size + " outside 8.."
                        + MAX_STARTUP_LENGTH + "; parsing stops");
                stop();
                return length;
            }
            switch (code) {
                case SSL_REQUEST, GSSENC_REQUEST -> {
                    enqueue(new Request(code == SSL_REQUEST ? Kind.SSL : Kind.GSS, now(), null));
                    backend.expectEncryptionReply = true;
                    return size;
                }
                case CANCEL_REQUEST -> {
                    confirm();
                    emitNow("cancel_request");
                    return size;
                }
                default -> {
                    if ((code >>> 16) != 3) {
                        context.anomaly("postgresql_unsupported_version", "unsupported PostgreSQL major version "
                                + (code >>> 16) + "; parsing stops");
                        stop();
                        return length;
                    }
                    if (length < size) {
                        return needMore(size);
                    }
                    startup(in, offset + 8, offset + size);
                    typed = true;
                    return size;
                }
            }
        }

        private void startup(MemorySegment in, long at, long end) {
            while (at < end && Bytes.u8(in, at) != 0) {
                long keyEnd = cstringEnd(in, at, end);
                long valueEnd = keyEnd < 0 ? -1 : cstringEnd(in, keyEnd + 1, end);
                if (valueEnd < 0) {
                    context.anomaly("postgresql_bad_startup", "startup parameters are not NUL-terminated pairs");
                    break;
                }
                int keyLength = (int) (keyEnd - at);
                if (Bytes.equalsAscii(in, at, keyLength, "user")) {
                    user = text(in, keyEnd + 1, valueEnd);
                } else if (Bytes.equalsAscii(in, at, keyLength, "database")) {
                    database = text(in, keyEnd + 1, valueEnd);
                } else if (Bytes.equalsAscii(in, at, keyLength, "application_name")) {
                    applicationName = text(in, keyEnd + 1, valueEnd);
                }
                at = valueEnd + 1;
            }
            confirm();
            enqueue(new Request(Kind.STARTUP, now(), null));
        }

        @Override
        boolean read(int type) {
            return type == 'Q' || type == 'P' || type == 'B' || type == 'E' || type == 'p';
        }

        @Override
        boolean noted(int type) {
            switch (type) {
                case 'S' -> enqueue(new Request(Kind.SYNC, now(), null));
                case 'X' -> {
                    flushUnanswered();
                    emitNow("terminate");
                }
                case 'D', 'C', 'H', 'F', 'd', 'c', 'f' -> {
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        void message(int type, MemorySegment in, long at, long end) {
            switch (type) {
                case 'Q' -> {
                    long queryEnd = cstringEnd(in, at, end);
                    enqueue(new Request(Kind.SIMPLE, now(), text(in, at, queryEnd < 0 ? end : queryEnd)));
                }
                case 'P' -> {
                    long nameEnd = cstringEnd(in, at, end);
                    if (nameEnd < 0) {
                        return;
                    }
                    long queryEnd = cstringEnd(in, nameEnd + 1, end);
                    String query = text(in, nameEnd + 1, queryEnd < 0 ? end : queryEnd);
                    statements.put(text(in, at, nameEnd), query);
                    enqueue(new Request(Kind.PARSE, now(), query));
                }
                case 'B' -> {
                    long portalEnd = cstringEnd(in, at, end);
                    long statementEnd = portalEnd < 0 ? -1 : cstringEnd(in, portalEnd + 1, end);
                    if (statementEnd >= 0) {
                        String query = statements.get(text(in, portalEnd + 1, statementEnd));
                        if (query != null) {
                            portals.put(text(in, at, portalEnd), query);
                        }
                    }
                }
                case 'E' -> {
                    long portalEnd = cstringEnd(in, at, end);
                    String portal = portalEnd < 0 ? "" : text(in, at, portalEnd);
                    enqueue(new Request(Kind.EXECUTE, now(), portals.get(portal)));
                }
                case 'p' -> {
                    Request r = head();
                    if (r != null && r.kind == Kind.STARTUP && "SASL".equals(r.backendArg == null ? null
                            : r.backendArg.toString())) {
                        long mechanismEnd = cstringEnd(in, at, end);
                        if (mechanismEnd > at) {
                            authMechanism = text(in, at, mechanismEnd);
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The backend: typed messages, or the one-byte answer to SSLRequest/GSSENCRequest. */
    private final class Backend extends Typed {
        boolean expectEncryptionReply;

        Backend() {
            super("backend", MAX_CAPTURE + 5);
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            return expectEncryptionReply ? encryptionReply(in, offset) : decodeTyped(in, offset, length);
        }

        @Override
        boolean read(int type) {
            return type == 'R' || type == 'S' || type == 'E' || type == 'C' || type == 'Z';
        }

        @Override
        boolean noted(int type) {
            Request r = head();
            switch (type) {
                case 'D' -> {
                    if (r != null) {
                        r.dataRows++;
                    }
                }
                case 'I', 's' -> {
                    if (r != null && r.kind == Kind.EXECUTE) {
                        completeHead(r);
                    }
                }
                case '1' -> {
                    if (r != null && r.kind == Kind.PARSE) {
                        pending.poll();
                    }
                }
                case 'K', 'T', 'N', '2', '3', 'n', 't', 'A', 'G', 'H', 'W', 'd', 'c', 'v', 'V' -> {
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private int encryptionReply(MemorySegment in, long offset) {
            expectEncryptionReply = false;
            int answer = Bytes.u8(in, offset);
            Request r = head();
            if (r == null || (r.kind != Kind.SSL && r.kind != Kind.GSS)) {
                return 1;
            }
            boolean ssl = r.kind == Kind.SSL;
            if (answer != 'N' && answer != (ssl ? 'S' : 'G')) {
                context.anomaly("postgresql_bad_message", "answer 0x" + Integer.toHexString(answer) + " to "
                        + r.kind.frontend + "; parsing stops");
                pending.poll();
                stop();
                return 1;
            }
            pending.poll();
            confirm();
            r.backend = ssl ? "ssl_reply" : "gssenc_reply";
            r.backendArg(String.valueOf((char) answer));
            r.success = answer != 'N';
            emit(r);
            if (answer == 'S') {
                switchToTls(in == currentInput ? offset + 1 : -1);
            } else if (answer == 'G') {
                context.encrypted(true);
                frontend.stop();
                stop();
            }
            return 1;
        }

        @Override
        void message(int type, MemorySegment in, long at, long end) {
            switch (type) {
                case 'R' -> authentication(in, at, end);
                case 'S' -> {
                    long nameEnd = cstringEnd(in, at, end);
                    if (nameEnd > at && Bytes.equalsAscii(in, at, (int) (nameEnd - at), "server_version")) {
                        long valueEnd = cstringEnd(in, nameEnd + 1, end);
                        serverVersion = text(in, nameEnd + 1, valueEnd < 0 ? end : valueEnd);
                    }
                }
                case 'E' -> error(errorFields(in, at, end));
                case 'C' -> {
                    Request r = head();
                    if (r == null) {
                        return;
                    }
                    Long affected = tagRows(in, at, end);
                    if (affected != null) {
                        r.tagRows = (r.tagRows == null ? 0 : r.tagRows) + affected;
                    }
                    if (r.kind == Kind.EXECUTE) {
                        completeHead(r);
                    }
                }
                case 'Z' -> readyForQuery(end > at ? Bytes.u8(in, at) : 'I');
                default -> {
                }
            }
        }

        private void authentication(MemorySegment in, long at, long end) {
            Request r = head();
            if (r == null || r.kind != Kind.STARTUP || end - at < 4) {
                return;
            }
            int code = Bytes.i32(in, at);
            if (code == 0) {
                r.backend = "auth_ok";
                r.success = Boolean.TRUE;
                return;
            }
            if (r.backend == null) {
                r.backend = "auth_request";
            }
            r.backendArg(authName(code));
        }
    }

    static String authName(int code) {
        return switch (code) {
            case 2 -> "KerberosV5";
            case 3 -> "CleartextPassword";
            case 5 -> "MD5Password";
            case 7 -> "GSSAPI";
            case 8 -> "GSSAPIContinue";
            case 9 -> "SSPI";
            case 10 -> "SASL";
            case 11 -> "SASLContinue";
            case 12 -> "SASLFinal";
            default -> "UnknownAuthId" + code;
        };
    }

    /** ErrorResponse fields as Zeek renders them: {@code Severity=ERROR,Code=42P01,Message=…}. */
    static String errorFields(MemorySegment in, long at, long end) {
        StringBuilder b = new StringBuilder(128);
        while (at < end && Bytes.u8(in, at) != 0 && b.length() < MAX_TEXT) {
            int code = Bytes.u8(in, at);
            long valueEnd = Bytes.indexOf(in, at + 1, end, 0);
            long stop = valueEnd < 0 ? end : valueEnd;
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(errorName(code)).append('=').append(Bytes.utf8(in, at + 1, (int) (stop - at - 1), MAX_TEXT));
            at = stop + 1;
        }
        return b.length() > MAX_TEXT ? b.substring(0, MAX_TEXT) : b.toString();
    }

    private static String errorName(int code) {
        return switch (code) {
            case 'S' -> "SeverityLocalized";
            case 'V' -> "Severity";
            case 'C' -> "Code";
            case 'M' -> "Message";
            case 'D' -> "Detail";
            case 'H' -> "Hint";
            case 'P' -> "Position";
            case 'p' -> "InternalPosition";
            case 'q' -> "InternalQuery";
            case 'W' -> "Where";
            case 's' -> "Schema";
            case 't' -> "Table";
            case 'c' -> "Column";
            case 'd' -> "Data";
            case 'n' -> "Constraint";
            case 'F' -> "File";
            case 'L' -> "Line";
            case 'R' -> "Routine";
            default -> "UnknownErrorId" + (char) code;
        };
    }

    /** The row count at the end of a CommandComplete tag ({@code SELECT 1}, {@code INSERT 0 5}), if any. */
    static Long tagRows(MemorySegment in, long at, long end) {
        long tagEnd = Bytes.indexOf(in, at, end, 0);
        long stop = tagEnd < 0 ? end : tagEnd;
        long value = 0;
        long digits = 0;
        long i = stop - 1;
        for (; i >= at && Bytes.u8(in, i) >= '0' && Bytes.u8(in, i) <= '9' && digits < 18; i--) {
            digits++;
        }
        if (digits == 0 || i < at || Bytes.u8(in, i) != ' ') {
            return null;
        }
        for (long j = i + 1; j < stop; j++) {
            value = value * 10 + (Bytes.u8(in, j) - '0');
        }
        return value;
    }
}
