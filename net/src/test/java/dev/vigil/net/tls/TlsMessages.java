package dev.vigil.net.tls;

import dev.vigil.net.app.Wire;
import java.util.List;

/** TLS records and handshake messages built for tests. */
final class TlsMessages {

    private TlsMessages() {
    }

    static byte[] record(int type, byte[] body) {
        return Wire.create().u8(type).u16(0x0303).prefixed(2, Wire.create().bytes(body)).toByteArray();
    }

    static byte[] handshake(int type, byte[] body) {
        return Wire.create().u8(type).prefixed(3, Wire.create().bytes(body)).toByteArray();
    }

    static byte[] clientHello(String sni, List<String> alpn, int[] ciphers, int[] groups, int[] sigAlgs) {
        Wire extensions = Wire.create();
        if (sni != null) {
            extensions.u16(0).prefixed(2, Wire.create().prefixed(2, Wire.create().u8(0).prefixed(2, Wire.create().ascii(sni))));
        }
        extensions.u16(0x000a).prefixed(2, Wire.create().prefixed(2, u16s(groups)));
        extensions.u16(0x000b).prefixed(2, Wire.create().prefixed(1, Wire.create().u8(0)));
        extensions.u16(0x000d).prefixed(2, Wire.create().prefixed(2, u16s(sigAlgs)));
        if (!alpn.isEmpty()) {
            Wire list = Wire.create();
            alpn.forEach(p -> list.prefixed(1, Wire.create().ascii(p)));
            extensions.u16(0x0010).prefixed(2, Wire.create().prefixed(2, list));
        }
        Wire body = Wire.create().u16(0x0303).zeros(32).u8(0).prefixed(2, u16s(ciphers)).u8(1).u8(0)
                .prefixed(2, extensions);
        return handshake(1, body.toByteArray());
    }

    static byte[] serverHello(int version, int cipher, String alpn) {
        Wire extensions = Wire.create();
        if (alpn != null) {
            extensions.u16(0x0010).prefixed(2, Wire.create().prefixed(2, Wire.create().prefixed(1, Wire.create().ascii(alpn))));
        }
        if (version == 0x0304) {
            extensions.u16(0x002b).prefixed(2, Wire.create().u16(0x0304));
            extensions.u16(0x0033).prefixed(2, Wire.create().u16(0x001d).prefixed(2, Wire.create().zeros(32)));
        }
        Wire body = Wire.create().u16(Math.min(version, 0x0303)).u8(1).zeros(31).u8(0).u16(cipher).u8(0).prefixed(2, extensions);
        return handshake(2, body.toByteArray());
    }

    /** A HelloRetryRequest: a TLS 1.3 ServerHello whose random is SHA-256("HelloRetryRequest"), asking for {@code group}. */
    static byte[] helloRetryRequest(int cipher, int group) {
        Wire extensions = Wire.create();
        extensions.u16(0x002b).prefixed(2, Wire.create().u16(0x0304));
        extensions.u16(0x0033).prefixed(2, Wire.create().u16(group));
        Wire body = Wire.create().u16(0x0303)
                .bytes(java.util.HexFormat.of().parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"))
                .u8(0).u16(cipher).u8(0).prefixed(2, extensions);
        return handshake(2, body.toByteArray());
    }

    static byte[] certificate(byte[] der) {
        return handshake(11, Wire.create().prefixed(3, Wire.create().prefixed(3, Wire.create().bytes(der))).toByteArray());
    }

    static Wire u16s(int[] values) {
        Wire w = Wire.create();
        for (int v : values) {
            w.u16(v);
        }
        return w;
    }

    static byte[] concat(byte[]... parts) {
        Wire w = Wire.create();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }
}
