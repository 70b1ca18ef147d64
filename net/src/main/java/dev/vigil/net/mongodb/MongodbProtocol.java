package dev.vigil.net.mongodb;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * MongoDB identified by a wire-protocol message header (length within the server's maximum, a known
 * opcode) whose body fits its kind: an OP_MSG with only defined flag bits and a kind-0 section holding
 * a plausible BSON document, or an OP_QUERY (or other legacy request) naming a {@code db.collection}.
 * Replies (OP_REPLY, OP_MSG answering a request) also qualify, for connections seen from the server's
 * side first.
 */
public final class MongodbProtocol implements AppProtocol {

    private static final int KNOWN_MSG_FLAGS = 0x1 | 0x2 | 0x10000;
    private static final int MAX_PROBE_NAME = 256;

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (length < 16) {
            return length >= 4 && !plausibleSize(Bytes.i32le(bytes, offset)) ? Verdict.NO_MATCH : Verdict.NEED_MORE;
        }
        int size = Bytes.i32le(bytes, offset);
        int opCode = Bytes.i32le(bytes, offset + 12);
        if (!plausibleSize(size) || !MongodbAnalyzer.knownOp(opCode)) {
            return Verdict.NO_MATCH;
        }
        long body = offset + 16;
        long available = Math.min(length, size) - 16L;
        return switch (opCode) {
            case MongodbAnalyzer.OP_MSG -> probeMsg(bytes, body, available, size);
            case MongodbAnalyzer.OP_REPLY -> probeReply(bytes, body, available);
            case MongodbAnalyzer.OP_QUERY, MongodbAnalyzer.OP_INSERT, MongodbAnalyzer.OP_UPDATE,
                 MongodbAnalyzer.OP_DELETE, MongodbAnalyzer.OP_GET_MORE -> probeName(bytes, body + 4, available - 4);
            default -> Verdict.NO_MATCH;
        };
    }

    private static boolean plausibleSize(int size) {
        return size >= 21 && size <= MongodbAnalyzer.MAX_MESSAGE;
    }

    private static Verdict probeMsg(MemorySegment b, long body, long available, int size) {
        if (available < 9) {
            return Verdict.NEED_MORE;
        }
        int flags = Bytes.i32le(b, body);
        int kind = Bytes.u8(b, body + 4);
        int documentLength = Bytes.i32le(b, body + 5);
        boolean fits = documentLength >= 5 && documentLength <= size - 21;
        return (flags & ~KNOWN_MSG_FLAGS) == 0 && (kind == 0 || kind == 1) && fits ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static Verdict probeReply(MemorySegment b, long body, long available) {
        if (available < 24) {
            return Verdict.NEED_MORE;
        }
        int returned = Bytes.i32le(b, body + 16);
        int documentLength = Bytes.i32le(b, body + 20);
        return returned >= 0 && documentLength >= 5 && documentLength <= MongodbAnalyzer.MAX_MESSAGE
                ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static Verdict probeName(MemorySegment b, long at, long available) {
        if (available <= 0) {
            return Verdict.NEED_MORE;
        }
        long nul = Bytes.indexOf(b, at, at + Math.min(available, MAX_PROBE_NAME), 0);
        if (nul < 0) {
            return available >= MAX_PROBE_NAME || !Bytes.printable(b, at, at + available) ? Verdict.NO_MATCH
                    : Verdict.NEED_MORE;
        }
        boolean dotted = Bytes.indexOf(b, at + 1, nul, '.') > at;
        return dotted && Bytes.printable(b, at, nul) ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new MongodbAnalyzer(context);
    }
}
