package dev.vigil.net.postgresql;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * PostgreSQL identified by the frontend's first message: an SSLRequest, GSSENCRequest or
 * CancelRequest (fixed lengths and codes), or a whole protocol-3 StartupMessage whose parameters are
 * NUL-terminated pairs naming a {@code user}. A MySQL greeting or an HTTP request on port 5432 does
 * not qualify. The backend's bytes never decide: they only rule PostgreSQL out when their first byte
 * cannot start a backend's answer.
 */
public final class PostgresqlProtocol implements AppProtocol {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (direction != Direction.ORIG) {
            return length == 0 || backendFirstByte(Bytes.u8(bytes, offset)) ? Verdict.NEED_MORE : Verdict.NO_MATCH;
        }
        if (length < 8) {
            return length >= 4 && !plausibleLength(Bytes.i32(bytes, offset)) ? Verdict.NO_MATCH : Verdict.NEED_MORE;
        }
        int size = Bytes.i32(bytes, offset);
        int code = Bytes.i32(bytes, offset + 4);
        if (!plausibleLength(size)) {
            return Verdict.NO_MATCH;
        }
        if (code == PostgresqlAnalyzer.SSL_REQUEST || code == PostgresqlAnalyzer.GSSENC_REQUEST) {
            return size == 8 ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        if (code == PostgresqlAnalyzer.CANCEL_REQUEST) {
            return size == 16 ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        if ((code >>> 16) != 3 || size < 14) {
            return Verdict.NO_MATCH;
        }
        if (length < size) {
            return Verdict.NEED_MORE;
        }
        return startupWithUser(bytes, offset + 8, offset + size) ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    /** A backend's first byte: an answer to SSLRequest/GSSENCRequest, authentication, or an error. */
    private static boolean backendFirstByte(int b) {
        return b == 'S' || b == 'N' || b == 'G' || b == 'R' || b == 'E';
    }

    private static boolean plausibleLength(int size) {
        return size >= 8 && size <= PostgresqlAnalyzer.MAX_STARTUP_LENGTH;
    }

    private static boolean startupWithUser(MemorySegment bytes, long at, long end) {
        boolean user = false;
        while (at < end && Bytes.u8(bytes, at) != 0) {
            long keyEnd = Bytes.indexOf(bytes, at, end, 0);
            long valueEnd = keyEnd < 0 ? -1 : Bytes.indexOf(bytes, keyEnd + 1, end, 0);
            if (valueEnd < 0 || !Bytes.printable(bytes, at, keyEnd)) {
                return false;
            }
            user |= Bytes.equalsAscii(bytes, at, (int) (keyEnd - at), "user");
            at = valueEnd + 1;
        }
        return user && at == end - 1;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new PostgresqlAnalyzer(context);
    }
}
