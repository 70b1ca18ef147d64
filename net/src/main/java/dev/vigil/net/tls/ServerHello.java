package dev.vigil.net.tls;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The fields of a TLS ServerHello (RFC 8446 section 4.1.3) that Zeek logs and JA3S hashes: the
 * selected version (supported_versions overrides the legacy field), cipher, ALPN choice, key share
 * group, PSK acceptance and whether it is really a HelloRetryRequest.
 */
final class ServerHello {

    /** SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest (RFC 8446 section 4.1.3). */
    private static final byte[] HELLO_RETRY_RANDOM = java.util.HexFormat.of()
            .parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    int version;
    int selectedVersion = -1;
    int cipher = -1;
    int[] extensions = new int[0];
    String alpn;
    int keyShareGroup = -1;
    boolean pskAccepted;
    boolean helloRetry;
    byte[] sessionId = new byte[0];

    /** The negotiated version: supported_versions when present, else the legacy version. */
    int negotiatedVersion() {
        return selectedVersion >= 0 ? selectedVersion : version;
    }

    /** Parses a ServerHello body; returns null when well formed, else what was wrong. */
    String parse(MemorySegment s, long at, int length) {
        ClientHello.Reader r = new ClientHello.Reader(s, at, length);
        version = r.u16();
        byte[] random = r.bytes(32);
        helloRetry = Arrays.equals(random, HELLO_RETRY_RANDOM);
        int sessionIdLength = r.u8();
        if (sessionIdLength > 32) {
            return "session id length " + sessionIdLength + " over 32";
        }
        sessionId = r.bytes(sessionIdLength);
        cipher = r.u16();
        r.u8();
        if (r.failed()) {
            cipher = -1;
            return "truncated before the cipher suite";
        }
        if (r.remaining() == 0) {
            return null;
        }
        int extensionBytes = r.u16();
        if (r.failed() || extensionBytes > r.remaining()) {
            return "extensions length " + extensionBytes + " exceeds the " + r.remaining() + " bytes left";
        }
        int[] types = new int[Math.min(ClientHello.MAX_LIST, extensionBytes / 4)];
        int count = 0;
        long end = r.position() + extensionBytes;
        while (r.position() + 4 <= end) {
            int type = r.u16();
            int len = r.u16();
            if (r.position() + len > end) {
                extensions = Arrays.copyOf(types, count);
                return "extension " + type + " length " + len + " overruns the extension block";
            }
            if (count < types.length) {
                types[count++] = type;
            }
            ClientHello.Reader e = new ClientHello.Reader(s, r.position(), len);
            switch (type) {
                case ClientHello.EXT_SUPPORTED_VERSIONS -> selectedVersion = len >= 2 ? e.u16() : -1;
                case ClientHello.EXT_KEY_SHARE -> keyShareGroup = len >= 2 ? e.u16() : -1;
                case ClientHello.EXT_PRE_SHARED_KEY -> pskAccepted = true;
                case ClientHello.EXT_ALPN -> {
                    e.u16();
                    int n = e.u8();
                    alpn = e.text(Math.min(n, ClientHello.MAX_NAME));
                }
                default -> {
                }
            }
            r.skip(len);
        }
        extensions = Arrays.copyOf(types, count);
        return r.position() == end ? null : "trailing bytes in the extension block";
    }
}
