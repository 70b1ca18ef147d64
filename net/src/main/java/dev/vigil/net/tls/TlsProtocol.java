package dev.vigil.net.tls;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Bytes;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;

/**
 * TLS (Zeek's service name {@code ssl}) identified by content: a handshake record holding a
 * ClientHello or ServerHello with a TLS/SSLv3 version, an SSLv2-compatible ClientHello, or (for
 * connections picked up in progress) an application-data, alert or ChangeCipherSpec record with a
 * plausible version and length. An empty handshake record counts, as Suricata's detection has it (its
 * {@code http-connect-tls} test). Either direction may be judged, so a capture that starts with the
 * server's bytes is still recognised.
 */
public final class TlsProtocol implements AppProtocol {

    @Override
    public String name() {
        return "ssl";
    }

    @Override
    public boolean tcp() {
        return true;
    }

    @Override
    public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
        if (length < 1) {
            return Verdict.NEED_MORE;
        }
        int b0 = Bytes.u8(bytes, offset);
        if ((b0 & 0x80) != 0) {
            return probeSslv2(direction, bytes, offset, length);
        }
        if (b0 < TlsAnalyzer.CHANGE_CIPHER_SPEC || b0 > TlsAnalyzer.APPLICATION_DATA) {
            return Verdict.NO_MATCH;
        }
        if (length < 5) {
            return plausiblePrefix(bytes, offset, length) ? Verdict.NEED_MORE : Verdict.NO_MATCH;
        }
        if (!plausiblePrefix(bytes, offset, 5)) {
            return Verdict.NO_MATCH;
        }
        int recordLength = Bytes.u16(bytes, offset + 3);
        if (recordLength > TlsAnalyzer.MAX_RECORD_LENGTH) {
            return Verdict.NO_MATCH;
        }
        if (recordLength == 0) {
            return b0 == TlsAnalyzer.HANDSHAKE ? Verdict.MATCH : Verdict.NO_MATCH;
        }
        return switch (b0) {
            case TlsAnalyzer.HANDSHAKE -> probeHello(bytes, offset, length);
            case TlsAnalyzer.CHANGE_CIPHER_SPEC -> recordLength == 1 ? Verdict.MATCH : Verdict.NO_MATCH;
            case TlsAnalyzer.ALERT -> recordLength == 2 || recordLength >= 18 ? Verdict.MATCH : Verdict.NO_MATCH;
            default -> Verdict.MATCH;
        };
    }

    /** Record header bytes seen so far are consistent with a TLS record (version 3.0 to 3.4). */
    private static boolean plausiblePrefix(MemorySegment bytes, long offset, int length) {
        return (length < 2 || Bytes.u8(bytes, offset + 1) == 3) && (length < 3 || Bytes.u8(bytes, offset + 2) <= 4);
    }

    private static Verdict probeHello(MemorySegment bytes, long offset, int length) {
        if (length < 11) {
            return Verdict.NEED_MORE;
        }
        int type = Bytes.u8(bytes, offset + 5);
        if (type != 1 && type != 2) {
            return Verdict.NO_MATCH;
        }
        int helloLength = Bytes.u24(bytes, offset + 6);
        if (helloLength < 38 || helloLength > TlsAnalyzer.MAX_HANDSHAKE_LENGTH) {
            return Verdict.NO_MATCH;
        }
        return Bytes.u8(bytes, offset + 9) == 3 && Bytes.u8(bytes, offset + 10) <= 4 ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    private static Verdict probeSslv2(Direction direction, MemorySegment bytes, long offset, int length) {
        if (direction != Direction.ORIG) {
            return Verdict.NO_MATCH;
        }
        if (length < 5) {
            return Verdict.NEED_MORE;
        }
        int bodyLength = ((Bytes.u8(bytes, offset) & 0x7f) << 8) | Bytes.u8(bytes, offset + 1);
        int type = Bytes.u8(bytes, offset + 2);
        int version = Bytes.u16(bytes, offset + 3);
        boolean knownVersion = version == 0x0002 || (version >= 0x0300 && version <= 0x0304);
        return bodyLength >= 9 && type == 1 && knownVersion ? Verdict.MATCH : Verdict.NO_MATCH;
    }

    @Override
    public AppAnalyzer create(AppContext context) {
        return new TlsAnalyzer(context);
    }
}
