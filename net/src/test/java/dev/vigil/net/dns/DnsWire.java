package dev.vigil.net.dns;

import java.io.ByteArrayOutputStream;

/** Builds DNS messages for tests, byte by byte as RFC 1035 section 4.1 lays them out. */
final class DnsWire {

    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int RD = 0x0100;
    static final int RA = 0x0080;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static DnsWire header(int id, int flags, int qd, int an, int ns, int ar) {
        return new DnsWire().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    DnsWire u8(int v) {
        out.write(v);
        return this;
    }

    DnsWire u16(int v) {
        return u8(v >> 8).u8(v & 0xff);
    }

    DnsWire u32(long v) {
        return u16((int) (v >> 16)).u16((int) (v & 0xffff));
    }

    DnsWire bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Labels of {@code dotted} without the terminating zero. */
    DnsWire labels(String dotted) {
        if (!dotted.isEmpty()) {
            for (String label : dotted.split("\\.")) {
                u8(label.length()).bytes(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return this;
    }

    DnsWire name(String dotted) {
        return labels(dotted).u8(0);
    }

    DnsWire pointer(int offset) {
        return u16(0xc000 | offset);
    }

    DnsWire question(String name, int type, int qclass) {
        return name(name).u16(type).u16(qclass);
    }

    DnsWire rr(String name, int type, long ttl, byte[] rdata) {
        return name(name).u16(type).u16(1).u32(ttl).u16(rdata.length).bytes(rdata);
    }

    /** A record whose owner is a compression pointer. */
    DnsWire rrAt(int ownerOffset, int type, long ttl, byte[] rdata) {
        return pointer(ownerOffset).u16(type).u16(1).u32(ttl).u16(rdata.length).bytes(rdata);
    }

    int size() {
        return out.size();
    }

    byte[] build() {
        return out.toByteArray();
    }

    static DnsWire data() {
        return new DnsWire();
    }

    /** The message with its two-byte TCP length prefix. */
    static byte[] tcp(byte[] message) {
        byte[] b = new byte[message.length + 2];
        b[0] = (byte) (message.length >> 8);
        b[1] = (byte) message.length;
        System.arraycopy(message, 0, b, 2, message.length);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
