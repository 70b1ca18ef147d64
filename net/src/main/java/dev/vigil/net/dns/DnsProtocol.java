package dev.vigil.net.dns;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * DNS over UDP (one message per datagram) and over TCP (RFC 1035 section 4.2.2: each message after a
 * two-byte length). A flow is DNS when its first message, query or response, has a sane header and
 * questions that parse (names, classes, room for the announced records); the port plays no part.
 */
public final class DnsProtocol implements AppProtocol {

    private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final boolean tcp;

    private DnsProtocol(boolean tcp) {
        this.tcp = tcp;
    }

    /** DNS over TCP. */
    public static DnsProtocol overTcp() {
        return new DnsProtocol(true);
    }

    /** DNS over UDP. */
    public static DnsProtocol overUdp() {
        return new DnsProtocol(false);
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public boolean tcp() {
        return tcp;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        DnsMessage msg = DnsMessage.forThisThread();
        if (!tcp) {
            return msg.header(bytes, offset, length) && msg.plausible(DnsAnalyzer.MAX_QUESTIONS, length)
                    ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        if (length < 2) {
            return Verdict.NEED_MORE;
        }
        int messageLength = bytes.get(U16, offset) & 0xffff;
        if (messageLength < DnsMessage.HEADER_LENGTH) {
            return Verdict.NO_MATCH;
        }
        int available = Math.min(length - 2, messageLength);
        if (available < DnsMessage.HEADER_LENGTH) {
            return Verdict.NEED_MORE;
        }
        msg.header(bytes, offset + 2, available);
        if (msg.plausible(DnsAnalyzer.MAX_QUESTIONS, messageLength)) {
            return Verdict.MATCH;
        }
        boolean cutShort = available < messageLength && "dns_truncated".equals(msg.anomaly);
        return cutShort ? Verdict.NEED_MORE : Verdict.NO_MATCH;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new DnsAnalyzer(context, tcp);
    }
}
