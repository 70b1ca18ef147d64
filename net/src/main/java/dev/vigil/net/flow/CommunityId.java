package dev.vigil.net.flow;

import dev.vigil.net.decode.Packet;
import java.nio.charset.StandardCharsets;

/**
 * Community ID flow hashing, version 1 (corelight/community-id-spec): SHA-1 over the seed, both
 * addresses, the protocol, a pad byte and both ports, with endpoints ordered so both directions hash
 * alike (not for one-way ICMP messages), base64-encoded and prefixed {@code 1:}. ICMP ports are the
 * type and the counterpart type or code, as in {@link FlowKey}.
 *
 * <p>Every flow gets one, so the hash is computed here: the input is at most 40 bytes, one SHA-1
 * block (FIPS 180-4 section 6.1) with its padding, compressed without the generic digest's buffering
 * and byte-order conversions, and the 20-byte digest is base64-encoded in place.
 */
public final class CommunityId {

    private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);

    private final byte[] seed;
    private final byte[] buffer = new byte[2 + 16 + 16 + 2 + 4];
    /** The message schedule of the one block. */
    private final int[] schedule = new int[80];
    private final byte[] digest = new byte[20];
    /** {@code 1:} and the base64 of the digest (28 characters, one {@code =} of padding). */
    private final byte[] text = new byte[2 + 28];

    /** A calculator for {@code seed} (0..65535; 0 is the spec's default). Not thread-safe. */
    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("community id seed " + seed + " outside 0..65535");
        }
        this.seed = new byte[] {(byte) (seed >>> 8), (byte) seed};
    }

    /** The Community ID of {@code flow}. */
    public String of(Flow flow) {
        return of(flow.protocol, flow.origHi, flow.origLo, flow.origPort, flow.respHi, flow.respLo, flow.respPort);
    }

    /** The Community ID of a flow given by its parts (addresses as two longs, IPv4-mapped for IPv4). */
    public String of(int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        boolean oneWay = (protocol == Packet.ICMP || protocol == Packet.ICMP6)
                && FlowKey.counterpart(protocol, srcPort) < 0;
        if (!oneWay) {
            int c = Long.compareUnsigned(srcHi, dstHi);
            if (c == 0) {
                c = Long.compareUnsigned(srcLo, dstLo);
            }
            if (c > 0 || (c == 0 && srcPort > dstPort)) {
                long h = srcHi;
                long l = srcLo;
                int port = srcPort;
                srcHi = dstHi;
                srcLo = dstLo;
                srcPort = dstPort;
                dstHi = h;
                dstLo = l;
                dstPort = port;
            }
        }
        boolean v4 = FlowKey.isV4(srcHi, srcLo) && FlowKey.isV4(dstHi, dstLo);
        int n = 0;
        buffer[n++] = seed[0];
        buffer[n++] = seed[1];
        n = address(buffer, n, srcHi, srcLo, v4);
        n = address(buffer, n, dstHi, dstLo, v4);
        buffer[n++] = (byte) protocol;
        buffer[n++] = 0;
        buffer[n++] = (byte) (srcPort >>> 8);
        buffer[n++] = (byte) srcPort;
        buffer[n++] = (byte) (dstPort >>> 8);
        buffer[n++] = (byte) dstPort;
        sha1(buffer, n);
        return base64Text();
    }

    /** SHA-1 of {@code message[0, length)}, {@code length} at most 55 (one block with padding), into {@link #digest}. */
    private void sha1(byte[] message, int length) {
        int[] w = schedule;
        for (int i = 0; i < 16; i++) {
            w[i] = 0;
        }
        for (int i = 0; i < length; i++) {
            w[i >>> 2] |= (message[i] & 0xff) << (24 - 8 * (i & 3));
        }
        w[length >>> 2] |= 0x80 << (24 - 8 * (length & 3));
        w[15] = length * 8;
        for (int t = 16; t < 80; t++) {
            w[t] = Integer.rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }
        int a = 0x67452301;
        int b = 0xEFCDAB89;
        int c = 0x98BADCFE;
        int d = 0x10325476;
        int e = 0xC3D2E1F0;
        for (int t = 0; t < 80; t++) {
            int f;
            if (t < 20) {
                f = ((b & c) | (~b & d)) + 0x5A827999;
            } else if (t < 40) {
                f = (b ^ c ^ d) + 0x6ED9EBA1;
            } else if (t < 60) {
                f = ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC;
            } else {
                f = (b ^ c ^ d) + 0xCA62C1D6;
            }
            int next = Integer.rotateLeft(a, 5) + f + e + w[t];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = next;
        }
        word(0, 0x67452301 + a);
        word(4, 0xEFCDAB89 + b);
        word(8, 0x98BADCFE + c);
        word(12, 0x10325476 + d);
        word(16, 0xC3D2E1F0 + e);
    }

    private void word(int at, int value) {
        digest[at] = (byte) (value >>> 24);
        digest[at + 1] = (byte) (value >>> 16);
        digest[at + 2] = (byte) (value >>> 8);
        digest[at + 3] = (byte) value;
    }

    /** {@code 1:} and the base64 (RFC 4648 section 4, padded) of {@link #digest}. */
    private String base64Text() {
        byte[] out = text;
        out[0] = '1';
        out[1] = ':';
        int n = 2;
        for (int i = 0; i < 18; i += 3) {
            int group = (digest[i] & 0xff) << 16 | (digest[i + 1] & 0xff) << 8 | (digest[i + 2] & 0xff);
            out[n++] = BASE64[group >>> 18];
            out[n++] = BASE64[(group >>> 12) & 63];
            out[n++] = BASE64[(group >>> 6) & 63];
            out[n++] = BASE64[group & 63];
        }
        int last = (digest[18] & 0xff) << 16 | (digest[19] & 0xff) << 8;
        out[n++] = BASE64[last >>> 18];
        out[n++] = BASE64[(last >>> 12) & 63];
        out[n++] = BASE64[(last >>> 6) & 63];
        out[n] = '=';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static int address(byte[] b, int n, long hi, long lo, boolean v4) {
        if (!v4) {
            for (int i = 56; i >= 0; i -= 8) {
                b[n++] = (byte) (hi >>> i);
            }
        }
        for (int i = v4 ? 24 : 56; i >= 0; i -= 8) {
            b[n++] = (byte) (lo >>> i);
        }
        return n;
    }
}
