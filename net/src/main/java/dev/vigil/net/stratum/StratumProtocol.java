package dev.vigil.net.stratum;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * Stratum (crypto-mining JSON-RPC) identified by the miner's first line: a JSON object (starting with
 * {@code {}) whose {@code method} is a Stratum v1 {@code mining.*} method, Ethereum's
 * {@code eth_submitLogin}, or XMRig's {@code login} with an {@code agent} or {@code pass} parameter. The
 * probe scans the line's bytes without parsing or allocating. The pool's bytes never decide; they rule
 * Stratum out when they are not a JSON object.
 */
public final class StratumProtocol implements AppProtocol {

    private static final int MAX_PROBE_LINE = 4096;

    @Override
    public String name() {
        return "stratum";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (direction != Direction.ORIG) {
            return length == 0 || Bytes.u8(bytes, offset) == '{' ? Verdict.NEED_MORE : Verdict.NO_MATCH;
        }
        if (length == 0) {
            return Verdict.NEED_MORE;
        }
        if (Bytes.u8(bytes, offset) != '{') {
            return Verdict.NO_MATCH;
        }
        long lf = Bytes.indexOf(bytes, offset, offset + Math.min(length, MAX_PROBE_LINE), '\n');
        if (lf < 0) {
            return length >= MAX_PROBE_LINE ? Verdict.NO_MATCH : Verdict.NEED_MORE;
        }
        long end = lf;
        long method = Bytes.indexOf(bytes, offset, end, "\"method\"");
        if (method < 0) {
            return Verdict.NO_MATCH;
        }
        long value = method + 8;
        while (value < end && (Bytes.u8(bytes, value) == ' ' || Bytes.u8(bytes, value) == ':')) {
            value++;
        }
        if (startsWith(bytes, value, end, "\"mining.") || startsWith(bytes, value, end, "\"eth_submitLogin\"")) {
            return Verdict.MATCH;
        }
        boolean xmrig = startsWith(bytes, value, end, "\"login\"")
                && (Bytes.indexOf(bytes, offset, end, "\"agent\"") >= 0 || Bytes.indexOf(bytes, offset, end, "\"pass\"") >= 0);
        return xmrig ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static boolean startsWith(MemorySegment bytes, long at, long end, String text) {
        return at + text.length() <= end && Bytes.equalsAscii(bytes, at, text.length(), text);
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new StratumAnalyzer(context);
    }
}
