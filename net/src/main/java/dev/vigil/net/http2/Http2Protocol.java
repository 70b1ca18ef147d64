package dev.vigil.net.http2;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * HTTP/2 over TCP without TLS: prior knowledge (the originator starts with the connection preface
 * {@code PRI * HTTP/2.0…}), or a capture that began midstream, recognised by two consecutive frame
 * headers that obey RFC 9113 (known type, stream-id and length rules of that type, defined flags,
 * default maximum frame size). {@link #afterUpgrade} serves HTTP/1.1's {@code Upgrade: h2c}.
 */
public final class Http2Protocol implements AppProtocol {

    private static final int FRAME_HEADER = 9;

    @Override
    public String name() {
        return "http2";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (direction == Direction.ORIG) {
            int n = Math.min(length, Http2Analyzer.PREFACE.length);
            boolean prefix = true;
            for (int i = 0; i < n && prefix; i++) {
                prefix = bytes.get(ValueLayout.JAVA_BYTE, offset + i) == Http2Analyzer.PREFACE[i];
            }
            if (prefix) {
                return n == Http2Analyzer.PREFACE.length ? Verdict.MATCH : Verdict.NEED_MORE;
            }
        }
        return frames(bytes, offset, length);
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return Http2Analyzer.fromStart(context);
    }

    /**
     * The HTTP/2 analyzer that takes over a connection after {@code Upgrade: h2c} was accepted with
     * {@code 101}: the originator's next bytes are the preface, the responder's are frames, and
     * stream 1 carries the response to the request that asked for the upgrade.
     */
    public static AppAnalyzer afterUpgrade(AppContext context, String method, String authority, String path,
            String userAgent, long tsMicros) {
        return Http2Analyzer.afterUpgrade(context, method, authority, path, userAgent, tsMicros);
    }

    /** Two valid frame headers in a row: MATCH; one and not enough bytes for the next: NEED_MORE. */
    private static Verdict frames(MemorySegment b, long offset, int length) {
        long at = 0;
        for (int frame = 0; frame < 2; frame++) {
            if (length - at < FRAME_HEADER) {
                return Verdict.NEED_MORE;
            }
            int len = u8(b, offset + at) << 16 | u8(b, offset + at + 1) << 8 | u8(b, offset + at + 2);
            int type = u8(b, offset + at + 3);
            int flags = u8(b, offset + at + 4);
            int streamHigh = u8(b, offset + at + 5);
            boolean zero = streamHigh == 0 && u8(b, offset + at + 6) == 0 && u8(b, offset + at + 7) == 0
                    && u8(b, offset + at + 8) == 0;
            if ((streamHigh & 0x80) != 0 || !valid(len, type, flags, zero)) {
                return Verdict.NO_MATCH;
            }
            at += FRAME_HEADER + len;
        }
        return Verdict.MATCH;
    }

    private static boolean valid(int len, int type, int flags, boolean streamZero) {
        if (len > Http2Analyzer.DEFAULT_MAX_FRAME_SIZE) {
            return false;
        }
        return switch (type) {
            case 0 -> !streamZero && (flags & ~0x09) == 0;
            case 1 -> !streamZero && (flags & ~0x2d) == 0;
            case 2 -> !streamZero && len == 5 && flags == 0;
            case 3 -> !streamZero && len == 4 && flags == 0;
            case 4 -> streamZero && len % 6 == 0 && (flags & ~0x01) == 0 && (flags == 0 || len == 0);
            case 5 -> !streamZero && (flags & ~0x0c) == 0;
            case 6 -> streamZero && len == 8 && (flags & ~0x01) == 0;
            case 7 -> streamZero && len >= 8 && flags == 0;
            case 8 -> len == 4 && flags == 0;
            case 9 -> !streamZero && (flags & ~0x04) == 0;
            default -> false;
        };
    }

    private static int u8(MemorySegment b, long at) {
        return b.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }
}
