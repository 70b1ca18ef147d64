package dev.vigil.net.mysql;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * MySQL (and MariaDB) identified by the server greeting (sequence 0, protocol 10 or 9, a printable
 * version string starting with a digit, or an ERR packet refusing the host), by the client's
 * HandshakeResponse41 (sequence 1, CLIENT_PROTOCOL_41, 23 zero filler bytes), or, for a connection
 * picked up in progress, by a whole COM_QUERY packet of printable text.
 */
public final class MysqlProtocol implements AppProtocol {

    private static final int MAX_GREETING = 1024;

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (length < 5) {
            return Verdict.NEED_MORE;
        }
        int payload = Bytes.u24le(bytes, offset);
        int sequence = Bytes.u8(bytes, offset + 3);
        int first = Bytes.u8(bytes, offset + 4);
        return direction == Direction.RESP
                ? probeServer(bytes, offset, length, payload, sequence, first)
                : probeClient(bytes, offset, length, payload, sequence, first);
    }

    private static Verdict probeServer(MemorySegment b, long offset, int length, int payload, int sequence, int first) {
        if (sequence != 0 || payload < 9 || payload > MAX_GREETING) {
            return Verdict.NO_MATCH;
        }
        if (first == 0xff) {
            if (length < 4 + payload) {
                return Verdict.NEED_MORE;
            }
            int code = Bytes.u16le(b, offset + 5);
            return code >= 1000 && code < 3000 && Bytes.printable(b, offset + 7, offset + 4 + payload)
                    ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        if (first != 10 && first != 9) {
            return Verdict.NO_MATCH;
        }
        long end = offset + Math.min(length, 4 + payload);
        long nul = Bytes.indexOf(b, offset + 5, end, 0);
        if (nul < 0) {
            return length >= 4 + payload || !Bytes.printable(b, offset + 5, end) ? Verdict.NO_MATCH : Verdict.NEED_MORE;
        }
        int c = Bytes.u8(b, offset + 5);
        return nul > offset + 5 && c >= '0' && c <= '9' && Bytes.printable(b, offset + 5, nul)
                ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static Verdict probeClient(MemorySegment b, long offset, int length, int payload, int sequence, int first) {
        if (sequence == 1 && payload >= 32) {
            if (length < 36) {
                return Verdict.NEED_MORE;
            }
            if ((Bytes.u16le(b, offset + 4) & MysqlAnalyzer.CLIENT_PROTOCOL_41) == 0) {
                return Verdict.NO_MATCH;
            }
            for (int i = 13; i < 36; i++) {
                if (Bytes.u8(b, offset + i) != 0) {
                    return Verdict.NO_MATCH;
                }
            }
            return Verdict.MATCH;
        }
        if (sequence == 0 && first == MysqlAnalyzer.COM_QUERY && payload >= 5 && payload <= 65536) {
            if (length < 4 + payload) {
                return Verdict.NEED_MORE;
            }
            int c = Bytes.u8(b, offset + 5);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '(' || c == '/';
            return letter && textual(b, offset + 5, offset + 4 + payload) ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        return Verdict.NO_MATCH;
    }

    private static boolean textual(MemorySegment b, long from, long to) {
        for (long i = from; i < to; i++) {
            int c = Bytes.u8(b, i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new MysqlAnalyzer(context);
    }
}
