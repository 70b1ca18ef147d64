package dev.vigil.net.ssh;

import dev.vigil.net.app.Wire;

/** SSH binary packets built for tests (RFC 4253 section 6, without MAC: before NEWKEYS). */
final class SshMessages {

    static final String[] SERVER_LISTS = {
            "curve25519-sha256,diffie-hellman-group14-sha256", "ssh-ed25519,rsa-sha2-512", "aes256-ctr,aes128-ctr",
            "aes256-ctr,aes128-ctr", "hmac-sha2-256,hmac-sha2-512", "hmac-sha2-256,hmac-sha2-512", "none", "none", "", ""};

    private SshMessages() {
    }

    static byte[] packet(Wire payload) {
        byte[] p = payload.toByteArray();
        int padding = 8 - ((p.length + 5) % 8);
        if (padding < 4) {
            padding += 8;
        }
        return Wire.create().u32(p.length + padding + 1).u8(padding).bytes(p).zeros(padding).toByteArray();
    }

    static byte[] kexinit(String... lists) {
        Wire w = Wire.create().u8(20).zeros(16);
        for (String list : lists) {
            w.prefixed(4, Wire.create().ascii(list));
        }
        return packet(w.u8(0).u32(0));
    }

    static byte[] kexReply(byte[] hostKey) {
        return packet(Wire.create().u8(31).prefixed(4, Wire.create().bytes(hostKey)).prefixed(4, Wire.create().zeros(32))
                .prefixed(4, Wire.create().zeros(83)));
    }

    static byte[] newKeys() {
        return packet(Wire.create().u8(21));
    }
}
