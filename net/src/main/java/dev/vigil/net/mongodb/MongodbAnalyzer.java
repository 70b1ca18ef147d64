package dev.vigil.net.mongodb;

import dev.vigil.model.net.MongodbRecord;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.DecoderPair;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.StreamDecoder;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;

/**
 * Follows the MongoDB wire protocol (MongoDB manual, "MongoDB Wire Protocol") and emits one
 * {@code mongodb} record per request, when its reply arrives (paired by {@code responseTo}) or at once
 * when none will come (legacy writes, OP_MSG with {@code moreToCome}).
 *
 * <p>Requests: OP_MSG (the kind-0 body section: command = first key, its string value the collection,
 * {@code $db} the database), OP_QUERY (full collection name; for {@code db.$cmd} the command document
 * as for OP_MSG), the legacy OP_INSERT/UPDATE/DELETE/GET_MORE/KILL_CURSORS, and OP_COMPRESSED with the
 * no-op compressor (others are logged as {@code compressed}). Replies: OP_MSG and OP_REPLY, whose first
 * document gives {@code ok} and {@code errmsg}. A connection whose originator sends replies first is
 * flipped.
 *
 * <p>Limits: messages of at most {@value #MAX_MESSAGE} bytes (the server's own maximum), the first
 * {@value #MAX_CAPTURE} bytes of each read (the rest skipped), strings of at most {@value #MAX_TEXT}
 * bytes kept, {@value #MAX_PENDING} requests awaiting replies (the oldest logged unanswered beyond).
 */
final class MongodbAnalyzer extends DecoderPair {

    static final int MAX_MESSAGE = 48_000_000;
    static final int MAX_CAPTURE = 16384;
    static final int MAX_TEXT = 1024;
    static final int MAX_PENDING = 1024;

    static final int OP_REPLY = 1;
    static final int OP_UPDATE = 2001;
    static final int OP_INSERT = 2002;
    static final int OP_QUERY = 2004;
    static final int OP_GET_MORE = 2005;
    static final int OP_DELETE = 2006;
    static final int OP_KILL_CURSORS = 2007;
    static final int OP_COMPRESSED = 2012;
    static final int OP_MSG = 2013;

    private static final int MORE_TO_COME = 0x2;

    private Side orig = new Side(true);
    private Side resp = new Side(false);
    private final LinkedHashMap<Integer, Request> pending = new LinkedHashMap<>();

    /** A request awaiting its reply. */
    private record Request(double ts, String op, int requestId, String command, String database, String collection) {
    }

    MongodbAnalyzer(AppContext context) {
        super(context, "mongodb", true);
    }

    @Override
    protected StreamDecoder decoder(Direction direction) {
        return direction == Direction.ORIG ? orig : resp;
    }

    @Override
    public void end(long tsMicros) {
        for (Request r : pending.values()) {
            emit(r, null, null);
        }
        pending.clear();
    }

    private void emit(Request r, Boolean success, String error) {
        context.emit(new MongodbRecord(r.ts, context.uid(), context.id(), r.op, r.requestId & 0xFFFF_FFFFL, r.command,
                r.database, r.collection, success, error));
    }

    private static boolean isReply(int opCode, int responseTo) {
        return opCode == OP_REPLY || (opCode == OP_MSG && responseTo != 0);
    }

    private static String opName(int opCode) {
        return switch (opCode) {
            case OP_REPLY -> "reply";
            case OP_UPDATE -> "update";
            case OP_INSERT -> "insert";
            case OP_QUERY -> "query";
            case OP_GET_MORE -> "get_more";
            case OP_DELETE -> "delete";
            case OP_KILL_CURSORS -> "kill_cursors";
            case OP_COMPRESSED -> "compressed";
            case OP_MSG -> "msg";
            default -> "unknown-" + opCode;
        };
    }

    static boolean knownOp(int opCode) {
        return switch (opCode) {
            case OP_REPLY, OP_UPDATE, OP_INSERT, OP_QUERY, OP_GET_MORE, OP_DELETE, OP_KILL_CURSORS, OP_COMPRESSED,
                 OP_MSG -> true;
            default -> false;
        };
    }

    /** A request's body (after the 16-byte header) in {@code [at, end)}. */
    private void request(int opCode, int requestId, MemorySegment in, long at, long end) {
        confirm();
        String op = opName(opCode);
        String command = null;
        String database = null;
        String collection = null;
        boolean expectsReply = true;
        switch (opCode) {
            case OP_MSG -> {
                int flags = end - at >= 4 ? Bytes.i32le(in, at) : 0;
                expectsReply = (flags & MORE_TO_COME) == 0;
                long section = at + 4;
                if (section < end && Bytes.u8(in, section) == 0) {
                    CommandDocument d = CommandDocument.read(in, section + 1, end - section - 1);
                    command = d.command;
                    collection = d.collection;
                    database = d.database;
                }
            }
            case OP_QUERY -> {
                long nameEnd = Bytes.indexOf(in, at + 4, end, 0);
                if (nameEnd > 0) {
                    String full = Bytes.utf8(in, at + 4, (int) (nameEnd - at - 4), MAX_TEXT);
                    int dot = full.indexOf('.');
                    database = dot < 0 ? full : full.substring(0, dot);
                    collection = dot < 0 ? null : full.substring(dot + 1);
                    if ("$cmd".equals(collection)) {
                        CommandDocument d = CommandDocument.read(in, nameEnd + 1 + 8, end - nameEnd - 9);
                        command = d.command;
                        collection = d.collection;
                    }
                }
            }
            case OP_INSERT, OP_UPDATE, OP_DELETE, OP_GET_MORE -> {
                long nameStart = at + 4;
                long nameEnd = Bytes.indexOf(in, nameStart, end, 0);
                if (nameEnd > 0) {
                    String full = Bytes.utf8(in, nameStart, (int) (nameEnd - nameStart), MAX_TEXT);
                    int dot = full.indexOf('.');
                    database = dot < 0 ? full : full.substring(0, dot);
                    collection = dot < 0 ? null : full.substring(dot + 1);
                }
                expectsReply = opCode == OP_GET_MORE;
            }
            case OP_KILL_CURSORS -> expectsReply = false;
            case OP_COMPRESSED -> {
                if (end - at >= 9) {
                    command = compressorName(Bytes.u8(in, at + 8));
                }
            }
            default -> {
            }
        }
        Request r = new Request(now(), op, requestId, command, database, collection);
        if (!expectsReply) {
            emit(r, null, null);
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            Request oldest = pending.values().iterator().next();
            context.anomaly("mongodb_pending_overflow", MAX_PENDING + " requests await replies; the oldest ("
                    + oldest.op + ") is logged unanswered");
            pending.remove(oldest.requestId);
            emit(oldest, null, null);
        }
        Request previous = pending.put(requestId, r);
        if (previous != null) {
            emit(previous, null, null);
        }
    }

    private static String compressorName(int id) {
        return switch (id) {
            case 0 -> "noop";
            case 1 -> "snappy";
            case 2 -> "zlib";
            case 3 -> "zstd";
            default -> "compressor-" + id;
        };
    }

    /** A reply's body: the first document's {@code ok} and {@code errmsg} (or OP_REPLY's QueryFailure flag). */
    private void reply(int opCode, int responseTo, MemorySegment in, long at, long end) {
        Request r = pending.remove(responseTo);
        if (r == null) {
            return;
        }
        Boolean success = null;
        String error = null;
        long document = -1;
        boolean queryFailure = false;
        if (opCode == OP_REPLY && end - at >= 20) {
            queryFailure = (Bytes.i32le(in, at) & 0x2) != 0;
            document = at + 20;
        } else if (opCode == OP_MSG && end - at >= 5 && Bytes.u8(in, at + 4) == 0) {
            document = at + 5;
        }
        if (document >= 0 && document < end) {
            Bson doc = new Bson(in, document, end - document);
            while (doc.next()) {
                if (doc.nameIs("ok")) {
                    double ok = doc.number();
                    success = Double.isNaN(ok) ? null : ok == 1.0;
                } else if (doc.nameIs("errmsg") || doc.nameIs("$err")) {
                    error = doc.string(MAX_TEXT);
                }
            }
        }
        if (queryFailure) {
            success = Boolean.FALSE;
        }
        emit(r, success, error);
    }

    /** The first key of a command document, its value when a string (the collection), and {@code $db}. */
    private static final class CommandDocument {
        String command;
        String collection;
        String database;

        static CommandDocument read(MemorySegment in, long at, long available) {
            CommandDocument d = new CommandDocument();
            Bson doc = new Bson(in, at, available);
            boolean first = true;
            while (doc.next()) {
                if (first) {
                    first = false;
                    d.command = doc.name();
                    d.collection = doc.string(MAX_TEXT);
                } else if (doc.nameIs("$db")) {
                    d.database = doc.string(MAX_TEXT);
                }
            }
            return d;
        }
    }

    /** One direction: 16-byte headers, then the first {@link #MAX_CAPTURE} bytes of each message. */
    private final class Side extends StreamDecoder {
        boolean requests;
        private boolean first = true;

        Side(boolean requests) {
            super(MAX_CAPTURE);
            this.requests = requests;
        }

        @Override
        protected int decode(MemorySegment in, long offset, int length) {
            if (length < 16) {
                return needMore(16);
            }
            int size = Bytes.i32le(in, offset);
            int requestId = Bytes.i32le(in, offset + 4);
            int responseTo = Bytes.i32le(in, offset + 8);
            int opCode = Bytes.i32le(in, offset + 12);
            if (size < 16 || size > MAX_MESSAGE || !knownOp(opCode)) {
                context.anomaly("mongodb_bad_message", "message length " + size + " (16.." + MAX_MESSAGE + ") opcode "
                        + opCode + "; parsing stops");
                stop();
                return length;
            }
            int capture = Math.min(size, MAX_CAPTURE);
            if (length < capture) {
                return needMore(capture);
            }
            if (first) {
                first = false;
                if (requests && isReply(opCode, responseTo) && !confirmed()) {
                    requests = false;
                    Side formerOrig = orig;
                    orig = resp;
                    resp = formerOrig;
                    resp.requests = false;
                    orig.requests = true;
                    context.flipRoles();
                }
            }
            long body = offset + 16;
            long end = offset + capture;
            int effectiveOp = opCode;
            if (opCode == OP_COMPRESSED && end - body >= 9 && Bytes.u8(in, body + 8) == 0) {
                effectiveOp = Bytes.i32le(in, body);
                body += 9;
            }
            if (requests) {
                request(effectiveOp, requestId, in, body, end);
            } else {
                reply(effectiveOp, responseTo, in, body, end);
            }
            skip(size - capture);
            return capture;
        }

        @Override
        protected void overflow(String detail) {
            context.anomaly("mongodb_framing", detail);
        }
    }
}
