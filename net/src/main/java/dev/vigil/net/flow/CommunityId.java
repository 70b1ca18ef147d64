package dev.vigil.net.flow;

import dev.vigil.net.decode.Packet;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID flow hashing, version 1 (corelight/community-id-spec): SHA-1 over the seed, both
 * addresses, the protocol, a pad byte and both ports, with endpoints ordered so both directions hash
 * alike (not for one-way ICMP messages), base64-encoded and prefixed {@code 1:}. ICMP ports are the
 * type and the counterpart type or code, as in {@link FlowKey}.
 */
public final class CommunityId {

    private final byte[] seed;
    private final MessageDigest sha1;
    private final byte[] buffer = new byte[2 + 16 + 16 + 2 + 4];

    /** A calculator for {@code seed} (0..65535; 0 is the spec's default). Not thread-safe. */
    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("community id seed " + seed + " outside 0..65535");
        }
        this.seed = new byte[] {(byte) (seed >>> 8), (byte) seed};
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
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
        sha1.reset();
        sha1.update(buffer, 0, n);
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
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
