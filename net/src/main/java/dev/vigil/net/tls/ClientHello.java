package dev.vigil.net.tls;

import dev.vigil.net.app.Bytes;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a TLS ClientHello (RFC 8446 section 4.1.2) that Zeek logs and JA3/JA4 hash. Lists
 * keep wire order and GREASE values; fingerprints drop GREASE themselves.
 *
 * <p>Limits: {@value #MAX_LIST} values per list (cipher suites, extensions, groups, signature
 * algorithms, point formats, supported versions), {@value #MAX_ALPN} ALPN protocols of at most
 * {@value #MAX_NAME} bytes, an SNI of at most {@value #MAX_NAME} bytes. Longer lists are truncated and
 * reported as {@code tls_list_truncated}.
 */
final class ClientHello {

    static final int MAX_LIST = 512;
    static final int MAX_ALPN = 16;
    static final int MAX_NAME = 255;

    static final int EXT_SERVER_NAME = 0x0000;
    static final int EXT_SUPPORTED_GROUPS = 0x000a;
    static final int EXT_EC_POINT_FORMATS = 0x000b;
    static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    static final int EXT_ALPN = 0x0010;
    static final int EXT_SESSION_TICKET = 0x0023;
    static final int EXT_PRE_SHARED_KEY = 0x0029;
    static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    static final int EXT_KEY_SHARE = 0x0033;

    int version;
    int[] ciphers = new int[0];
    int[] extensions = new int[0];
    int[] groups = new int[0];
    int[] pointFormats = new int[0];
    int[] signatureAlgorithms = new int[0];
    int[] supportedVersions = new int[0];
    boolean sniPresent;
    String serverName;
    final List<String> alpn = new ArrayList<>(2);
    /** The first ALPN protocol's raw bytes, for JA4 (which looks at bytes, not text). */
    byte[] firstAlpn;
    int sessionIdLength;
    byte[] sessionId = new byte[0];
    boolean sessionTicket;
    boolean truncated;

    /**
     * Parses a ClientHello body. Returns null when well formed, else the name of the first structural
     * violation; fields parsed before it are kept.
     */
    String parse(MemorySegment s, long at, int length) {
        Reader r = new Reader(s, at, length);
        version = r.u16();
        r.skip(32);
        sessionIdLength = r.u8();
        if (sessionIdLength > 32) {
            return "session id length " + sessionIdLength + " over 32";
        }
        sessionId = r.bytes(sessionIdLength);
        int cipherBytes = r.u16();
        if (r.failed() || (cipherBytes & 1) != 0 || cipherBytes > r.remaining()) {
            return "cipher suites length " + cipherBytes + " invalid";
        }
        ciphers = r.u16List(cipherBytes);
        truncated |= r.clipped();
        int compressions = r.u8();
        r.skip(compressions);
        if (r.failed()) {
            return "truncated before extensions";
        }
        if (r.remaining() == 0) {
            return null;
        }
        int extensionBytes = r.u16();
        if (r.failed() || extensionBytes > r.remaining()) {
            return "extensions length " + extensionBytes + " exceeds the " + r.remaining() + " bytes left";
        }
        int[] types = new int[Math.min(MAX_LIST, extensionBytes / 4)];
        int count = 0;
        long end = r.position() + extensionBytes;
        while (r.position() + 4 <= end) {
            int type = r.u16();
            int len = r.u16();
            if (r.position() + len > end) {
                extensions = java.util.Arrays.copyOf(types, count);
                return "extension " + type + " length " + len + " overruns the extension block";
            }
            if (count < types.length) {
                types[count++] = type;
            } else {
                truncated = true;
            }
            Reader e = new Reader(s, r.position(), len);
            extension(type, e);
            truncated |= e.clipped();
            r.skip(len);
        }
        extensions = java.util.Arrays.copyOf(types, count);
        return r.position() == end ? null : "trailing bytes in the extension block";
    }

    private void extension(int type, Reader e) {
        switch (type) {
            case EXT_SERVER_NAME -> {
                sniPresent = true;
                int listLength = e.u16();
                long end = e.position() + Math.min(listLength, e.remaining());
                while (e.position() + 3 <= end && serverName == null) {
                    int nameType = e.u8();
                    int len = e.u16();
                    if (nameType == 0 && len <= e.remaining()) {
                        serverName = e.text(Math.min(len, MAX_NAME));
                    } else {
                        e.skip(len);
                    }
                }
            }
            case EXT_SUPPORTED_GROUPS -> groups = e.u16List(e.u16());
            case EXT_EC_POINT_FORMATS -> pointFormats = e.u8List(e.u8());
            case EXT_SIGNATURE_ALGORITHMS -> signatureAlgorithms = e.u16List(e.u16());
            case EXT_SUPPORTED_VERSIONS -> supportedVersions = e.u16List(e.u8());
            case EXT_SESSION_TICKET -> sessionTicket = e.remaining() > 0;
            case EXT_ALPN -> {
                int listLength = e.u16();
                long end = e.position() + Math.min(listLength, e.remaining());
                while (e.position() < end) {
                    int len = e.u8();
                    if (e.failed() || e.position() + len > end) {
                        break;
                    }
                    if (firstAlpn == null) {
                        firstAlpn = e.peekBytes(Math.min(len, MAX_NAME));
                    }
                    if (alpn.size() < MAX_ALPN) {
                        alpn.add(e.text(Math.min(len, MAX_NAME)));
                        e.skip(len - Math.min(len, MAX_NAME));
                    } else {
                        truncated = true;
                        e.skip(len);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The highest non-GREASE supported_versions value, or the legacy version when the extension is absent. */
    int highestVersion() {
        int best = -1;
        for (int v : supportedVersions) {
            if (!TlsNames.grease(v) && v > best) {
                best = v;
            }
        }
        return best >= 0 ? best : version;
    }

    /** A bounds-checked cursor over one structure; reads past the end yield 0 and mark it failed. */
    static final class Reader {
        private final MemorySegment s;
        private final long end;
        private long at;
        private boolean failed;
        private boolean clipped;

        Reader(MemorySegment s, long at, int length) {
            this.s = s;
            this.at = at;
            this.end = at + length;
        }

        long position() {
            return at;
        }

        int remaining() {
            return (int) Math.max(0, end - at);
        }

        boolean failed() {
            return failed;
        }

        /** True when a list was longer than {@link #MAX_LIST} and cut. */
        boolean clipped() {
            return clipped;
        }

        private boolean has(int n) {
            if (at + n > end) {
                failed = true;
                at = end;
                return false;
            }
            return true;
        }

        int u8() {
            if (!has(1)) {
                return 0;
            }
            return Bytes.u8(s, at++);
        }

        int u16() {
            if (!has(2)) {
                return 0;
            }
            int v = Bytes.u16(s, at);
            at += 2;
            return v;
        }

        void skip(int n) {
            if (has(n)) {
                at += n;
            }
        }

        byte[] bytes(int n) {
            if (!has(n)) {
                return new byte[0];
            }
            byte[] b = Bytes.copy(s, at, n);
            at += n;
            return b;
        }

        byte[] peekBytes(int n) {
            return at + n <= end ? Bytes.copy(s, at, n) : new byte[0];
        }

        String text(int n) {
            if (!has(n)) {
                return null;
            }
            String t = Bytes.utf8(s, at, n, n);
            at += n;
            return t;
        }

        int[] u16List(int byteLength) {
            int n = Math.min(byteLength, remaining()) / 2;
            clipped |= n > MAX_LIST;
            int[] v = new int[Math.min(n, MAX_LIST)];
            for (int i = 0; i < v.length; i++) {
                v[i] = Bytes.u16(s, at + 2L * i);
            }
            skip(byteLength);
            return v;
        }

        int[] u8List(int byteLength) {
            int n = Math.min(byteLength, remaining());
            clipped |= n > MAX_LIST;
            int[] v = new int[Math.min(n, MAX_LIST)];
            for (int i = 0; i < v.length; i++) {
                v[i] = Bytes.u8(s, at + i);
            }
            skip(byteLength);
            return v;
        }
    }
}
