package dev.vigil.net.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.decode.Packet;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Community IDs of every flow listed in Zeek's community_id baselines (ICMP, ICMPv6, TCP, UDP). */
class CommunityIdTest {

    private static final Pattern LINE = Pattern.compile(
            "\\[orig_h=([^,]+), orig_p=(\\d+)/(\\w+), resp_h=([^,]+), resp_p=(\\d+)/\\w+, proto=(\\d+), ctx=\\[\\]\\], (\\S+)");

    /** The spec's definition computed with the JDK's SHA-1 and Base64, for comparison. */
    private static String reference(int seed, int proto, long[] a, int aPort, long[] b, int bPort) throws Exception {
        boolean v4 = FlowKey.isV4(a[0], a[1]) && FlowKey.isV4(b[0], b[1]);
        ByteBuffer m = ByteBuffer.allocate(40);
        m.putShort((short) seed);
        for (long[] x : new long[][] {a, b}) {
            if (v4) {
                m.putInt((int) x[1]);
            } else {
                m.putLong(x[0]).putLong(x[1]);
            }
        }
        m.put((byte) proto).put((byte) 0).putShort((short) aPort).putShort((short) bPort);
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        sha1.update(m.array(), 0, m.position());
        return "1:" + java.util.Base64.getEncoder().encodeToString(sha1.digest());
    }

    @Test
    void agreesWithTheJdkDigestOverRandomFlows() throws Exception {
        long seedOfTest = 0xC0FFEEL;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seedOfTest);
        for (int i = 0; i < 5_000; i++) {
            int seed = random.nextInt(0x10000);
            CommunityId ids = new CommunityId(seed);
            boolean v4 = random.nextBoolean();
            long[] a = v4 ? new long[] {0, 0xffff_0000_0000L | random.nextLong(1L << 32)} : new long[] {random.nextLong(), random.nextLong()};
            long[] b = v4 ? new long[] {0, 0xffff_0000_0000L | random.nextLong(1L << 32)} : new long[] {random.nextLong(), random.nextLong()};
            int proto = random.nextBoolean() ? Packet.TCP : Packet.UDP;
            int aPort = random.nextInt(0x10000);
            int bPort = random.nextInt(0x10000);
            // the reference orders endpoints as the spec does: smaller address (then port) first
            int c = Long.compareUnsigned(a[0], b[0]) != 0 ? Long.compareUnsigned(a[0], b[0]) : Long.compareUnsigned(a[1], b[1]);
            String expected = c < 0 || (c == 0 && aPort <= bPort)
                    ? reference(seed, proto, a, aPort, b, bPort) : reference(seed, proto, b, bPort, a, aPort);
            assertThat(ids.of(proto, a[0], a[1], aPort, b[0], b[1], bPort)).as("seed %d, flow %d", seedOfTest, i)
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyBaselineLine() throws IOException {
        Path dir = Requirements.corpora().resolve("pcaps/zeek/testing/btest/Baseline/bifs.community_id.run-pcaps");
        CommunityId ids = new CommunityId(0);
        int checked = 0;
        for (String name : List.of("icmp.pcap.out", "icmp6.pcap.out", "ipv6.pcap.out", "tcp.pcap.out", "udp.pcap.out")) {
            for (String line : Files.readAllLines(dir.resolve(name))) {
                Matcher m = LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                long[] o = address(m.group(1));
                long[] r = address(m.group(4));
                int proto = Integer.parseInt(m.group(6));
                assertThat(ids.of(proto, o[0], o[1], Integer.parseInt(m.group(2)), r[0], r[1], Integer.parseInt(m.group(5))))
                        .as(line).isEqualTo(m.group(7));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1 + 14 + 1 + 1 + 1);
    }

    @Test
    void seedChangesTheHashAndDirectionDoesNot() {
        long[] a = address("10.0.0.1");
        long[] b = address("10.0.0.2");
        CommunityId zero = new CommunityId(0);
        assertThat(zero.of(Packet.TCP, a[0], a[1], 1000, b[0], b[1], 80))
                .isEqualTo(zero.of(Packet.TCP, b[0], b[1], 80, a[0], a[1], 1000));
        assertThat(new CommunityId(7).of(Packet.TCP, a[0], a[1], 1000, b[0], b[1], 80))
                .isNotEqualTo(zero.of(Packet.TCP, a[0], a[1], 1000, b[0], b[1], 80));
    }

    @Test
    void addressesPrintInCanonicalForm() {
        long[] v6 = address("2001:db8:0:0:1:0:0:1");
        assertThat(FlowKey.address(v6[0], v6[1])).isEqualTo("2001:db8::1:0:0:1");
        long[] loop = address("::1");
        assertThat(FlowKey.address(loop[0], loop[1])).isEqualTo("::1");
        long[] v4 = address("192.0.2.33");
        assertThat(FlowKey.address(v4[0], v4[1])).isEqualTo("192.0.2.33");
    }

    static long[] address(String text) {
        try {
            byte[] raw = InetAddress.getByName(text).getAddress();
            if (raw.length == 4) {
                return new long[] {0, 0xffff_0000_0000L | (ByteBuffer.wrap(raw).getInt() & 0xffff_ffffL)};
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            return new long[] {b.getLong(), b.getLong()};
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
