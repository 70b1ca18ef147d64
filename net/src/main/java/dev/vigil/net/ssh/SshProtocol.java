package dev.vigil.net.ssh;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * SSH identified by its version banner ({@code SSH-2.0-…}, {@code SSH-1.99-…}, RFC 4253 section 4.2)
 * at the start of either direction. A server may send text lines before its banner, so printable
 * responder bytes without the banner wait for the client's.
 */
public final class SshProtocol implements AppProtocol {

    private static final String PREFIX = "SSH-";

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        int n = Math.min(length, PREFIX.length());
        for (int i = 0; i < n; i++) {
            if (Bytes.u8(bytes, offset + i) != PREFIX.charAt(i)) {
                boolean serverPreamble = direction == Direction.RESP && Bytes.printable(bytes, offset, offset + n);
                return serverPreamble ? Verdict.NEED_MORE : Verdict.NO_MATCH;
            }
        }
        if (length < 7) {
            return Verdict.NEED_MORE;
        }
        boolean version = digit(Bytes.u8(bytes, offset + 4)) && Bytes.u8(bytes, offset + 5) == '.'
                && digit(Bytes.u8(bytes, offset + 6));
        return version ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new SshAnalyzer(context);
    }
}
