package dev.vigil.net.http;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * HTTP/1.x over TCP. The originator's first line must be a request line, {@code METHOD target
 * HTTP/1.x}, whatever the port; or the responder's first line a status line, {@code HTTP/1.x NNN}.
 * SIP and RTSP ({@code OPTIONS sip:… SIP/2.0}) and the HTTP/2 preface ({@code PRI * HTTP/2.0}) are
 * not HTTP/1.x.
 */
public final class HttpProtocol implements AppProtocol {

    /** Longest method token accepted by the probe. */
    static final int MAX_METHOD_LENGTH = 20;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        return direction == Direction.ORIG ? probeRequest(bytes, offset, length) : probeResponse(bytes, offset, length);
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new HttpAnalyzer(context);
    }

    private static int at(MemorySegment b, long offset, int i) {
        return b.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
    }

    static Verdict probeRequest(MemorySegment b, long offset, int length) {
        int i = 0;
        while (i < length && i <= MAX_METHOD_LENGTH) {
            int c = at(b, offset, i);
            if (c == ' ') {
                break;
            }
            if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
                return Verdict.NO_MATCH;
            }
            i++;
        }
        if (i == length) {
            return Verdict.NEED_MORE;
        }
        if (i == 0 || i > MAX_METHOD_LENGTH) {
            return Verdict.NO_MATCH;
        }
        int end = i + 1;
        while (end < length) {
            int c = at(b, offset, end);
            if (c == '\n') {
                break;
            }
            if (c < 0x20 && c != '\t' && c != '\r') {
                return Verdict.NO_MATCH;
            }
            end++;
        }
        if (end == length) {
            return Verdict.NEED_MORE;
        }
        if (end > 0 && at(b, offset, end - 1) == '\r') {
            end--;
        }
        int v = end - 8;
        boolean version = v > i + 1 && at(b, offset, v - 1) == ' ' && at(b, offset, v) == 'H' && at(b, offset, v + 1) == 'T'
                && at(b, offset, v + 2) == 'T' && at(b, offset, v + 3) == 'P' && at(b, offset, v + 4) == '/'
                && at(b, offset, v + 5) == '1' && at(b, offset, v + 6) == '.' && digit(at(b, offset, v + 7));
        return version ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    static Verdict probeResponse(MemorySegment b, long offset, int length) {
        String prefix = "HTTP/1.";
        for (int i = 0; i < 13; i++) {
            if (i == length) {
                return Verdict.NEED_MORE;
            }
            int c = at(b, offset, i);
            boolean ok = i < 7 ? c == prefix.charAt(i) : i == 8 ? c == ' ' : i == 12 ? c == ' ' || c == '\r' || c == '\n' : digit(c);
            if (!ok) {
                return Verdict.NO_MATCH;
            }
        }
        return Verdict.MATCH;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }
}
