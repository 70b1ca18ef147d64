package dev.vigil.net.redis;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * Redis identified by the client's first command: a RESP multi-bulk header ({@code *N\r\n$L\r\n}), or a
 * whole inline command line starting with a common command word and not an HTTP request line. The
 * server never speaks first, so its bytes never decide; they only rule Redis out when they cannot
 * start a reply.
 */
public final class RedisProtocol implements AppProtocol {

    private static final int MAX_PROBE_LINE = 512;
    /** The first bytes of RESP2 and RESP3 replies. */
    private static final String REPLY_TYPES = "+-:$*_#,(!=%~>|";
    private static final String[] OTHER_PROTOCOLS = {" HTTP/", " RTSP/", " SIP/"};

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (direction != Direction.ORIG) {
            return length == 0 || REPLY_TYPES.indexOf(Bytes.u8(bytes, offset)) >= 0 ? Verdict.NEED_MORE : Verdict.NO_MATCH;
        }
        if (length == 0) {
            return Verdict.NEED_MORE;
        }
        return Bytes.u8(bytes, offset) == '*' ? probeMultiBulk(bytes, offset, length) : probeInline(bytes, offset, length);
    }

    private static Verdict probeMultiBulk(MemorySegment b, long offset, int length) {
        long i = offset + 1;
        long end = offset + Math.min(length, 24);
        int digits = 0;
        while (i < end && Bytes.u8(b, i) >= '0' && Bytes.u8(b, i) <= '9') {
            i++;
            digits++;
        }
        String rest = "\r\n$";
        for (int k = 0; k < rest.length(); k++, i++) {
            if (i >= end) {
                return length >= 24 ? Verdict.NO_MATCH : Verdict.NEED_MORE;
            }
            if (digits == 0 || digits > 7 || Bytes.u8(b, i) != rest.charAt(k)) {
                return Verdict.NO_MATCH;
            }
        }
        return i < end && Bytes.u8(b, i) >= '0' && Bytes.u8(b, i) <= '9' ? Verdict.MATCH
                : i < end ? Verdict.NO_MATCH : Verdict.NEED_MORE;
    }

    private static Verdict probeInline(MemorySegment b, long offset, int length) {
        long lf = Bytes.indexOf(b, offset, offset + Math.min(length, MAX_PROBE_LINE), '\n');
        if (lf < 0) {
            if (length >= MAX_PROBE_LINE || !Bytes.printable(b, offset, offset + length)) {
                return Verdict.NO_MATCH;
            }
            return Verdict.NEED_MORE;
        }
        long end = lf > offset && Bytes.u8(b, lf - 1) == '\r' ? lf - 1 : lf;
        if (!Bytes.printable(b, offset, end)) {
            return Verdict.NO_MATCH;
        }
        for (String other : OTHER_PROTOCOLS) {
            if (Bytes.indexOf(b, offset, end, other) >= 0) {
                return Verdict.NO_MATCH;
            }
        }
        long space = Bytes.indexOf(b, offset, end, ' ');
        long wordEnd = space < 0 ? end : space;
        int wordLength = (int) (wordEnd - offset);
        if (Bytes.equalsAsciiIgnoreCase(b, offset, wordLength, "hello") && space >= 0) {
            int version = space + 1 < end ? Bytes.u8(b, space + 1) : -1;
            boolean numeric = (version == '2' || version == '3') && (space + 2 == end || Bytes.u8(b, space + 2) == ' ');
            return numeric ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        for (String command : RedisCommands.INLINE_PROBE) {
            if (Bytes.equalsAsciiIgnoreCase(b, offset, wordLength, command)) {
                return Verdict.MATCH;
            }
        }
        return Verdict.NO_MATCH;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new RedisAnalyzer(context);
    }
}
