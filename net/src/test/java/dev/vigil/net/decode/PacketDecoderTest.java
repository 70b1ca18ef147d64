package dev.vigil.net.decode;

import static dev.vigil.net.analysis.TestFrames.ethernet;
import static dev.vigil.net.analysis.TestFrames.frame;
import static dev.vigil.net.analysis.TestFrames.icmp;
import static dev.vigil.net.analysis.TestFrames.ipv4;
import static dev.vigil.net.analysis.TestFrames.tcp;
import static dev.vigil.net.analysis.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.flow.FlowKey;
import dev.vigil.net.ip.FragmentReassembler;
import dev.vigil.net.pcap.LinkType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet p = new Packet();

    private static final byte[] TCP_SEGMENT = tcp(1234, 80, 1, 0, 2, "abc".getBytes());

    private int decode(byte[] bytes, int linkType) {
        return decoder.decode(frame(bytes, linkType, 1), p);
    }

    private void assertTcpFrom10() {
        assertThat(FlowKey.address(p.srcHi, p.srcLo)).isEqualTo("10.1.2.3");
        assertThat(FlowKey.address(p.dstHi, p.dstLo)).isEqualTo("10.3.2.1");
        assertThat(p.protocol).isEqualTo(Packet.TCP);
        assertThat(p.srcPort).isEqualTo(1234);
        assertThat(p.dstPort).isEqualTo(80);
        assertThat(p.payloadLength).isEqualTo(3);
        assertThat(p.tcpFlags).isEqualTo(Packet.SYN);
    }

    private static byte[] ip4() {
        return ipv4("10.1.2.3", "10.3.2.1", 6, TCP_SEGMENT);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : parts) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void ethernetII() {
        assertThat(decode(ethernet(ip4()), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
        assertThat(p.vlan).isEqualTo(-1);
        assertThat(p.ipLength).isEqualTo(20 + 23);
    }

    @Test
    void vlanAndQinQ() {
        assertThat(decode(ethernet(ip4(), 1111), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.vlan).isEqualTo(1111);
        assertThat(p.innerVlan).isEqualTo(-1);
        assertThat(decode(ethernet(ip4(), 100, 200), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.vlan).isEqualTo(100);
        assertThat(p.innerVlan).isEqualTo(200);
        assertTcpFrom10();
    }

    @Test
    void vlanTagsAtTheLimitDecodeAndOneMoreIsAnAnomaly() {
        int[] tags = new int[PacketDecoder.MAX_VLAN_TAGS];
        Arrays.fill(tags, 7);
        assertThat(decode(ethernet(ip4(), tags), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        int[] tooMany = new int[PacketDecoder.MAX_VLAN_TAGS + 1];
        Arrays.fill(tooMany, 7);
        assertThat(decode(ethernet(ip4(), tooMany), LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.too_many_vlan_tags);
    }

    @Test
    void rawIpInEveryVariant() {
        for (int link : new int[] {LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14, LinkType.IPV4}) {
            assertThat(decode(ip4(), link)).as("link %d", link).isEqualTo(PacketDecoder.DECODED);
            assertTcpFrom10();
        }
    }

    @Test
    void bsdLoopbackInBothByteOrders() {
        assertThat(decode(concat(new byte[] {2, 0, 0, 0}, ip4()), LinkType.NULL)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
        assertThat(decode(concat(new byte[] {0, 0, 0, 2}, ip4()), LinkType.NULL)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
        assertThat(decode(concat(new byte[] {0, 0, 0, 2}, ip4()), LinkType.LOOP)).isEqualTo(PacketDecoder.DECODED);
        assertThat(decode(concat(new byte[] {30, 0, 0, 0}, ip6(6, TCP_SEGMENT)), LinkType.NULL))
                .isEqualTo(PacketDecoder.DECODED);
        assertThat(FlowKey.address(p.srcHi, p.srcLo)).isEqualTo("2001:db8::1");
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] sll = new byte[16];
        sll[14] = 0x08;
        assertThat(decode(concat(sll, ip4()), LinkType.LINUX_SLL)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
        byte[] sll2 = new byte[20];
        sll2[0] = 0x08;
        assertThat(decode(concat(sll2, ip4()), LinkType.LINUX_SLL2)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
    }

    @Test
    void ipv6WithEveryExtensionHeaderKind() {
        byte[] hopByHop = {60, 0, 1, 4, 0, 0, 0, 0};
        byte[] destination = {43, 0, 1, 4, 0, 0, 0, 0};
        byte[] routing = {51, 0, 0, 0, 0, 0, 0, 0};
        byte[] ah = {6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};
        byte[] packet = ip6(0, concat(hopByHop, destination, routing, ah, TCP_SEGMENT));
        assertThat(decode(packet, LinkType.RAW)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.protocol).isEqualTo(Packet.TCP);
        assertThat(p.dstPort).isEqualTo(80);
        assertThat(p.payloadLength).isEqualTo(3);
    }

    @Test
    void extensionHeadersAtTheLimitDecodeAndOneMoreIsAnAnomaly() {
        assertThat(decode(ip6(60, chain(PacketDecoder.MAX_EXTENSION_HEADERS)), LinkType.RAW))
                .isEqualTo(PacketDecoder.DECODED);
        assertThat(decode(ip6(60, chain(PacketDecoder.MAX_EXTENSION_HEADERS + 1)), LinkType.RAW))
                .isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.bad_IPv6_extension_headers);
    }

    @Test
    void headersRunningPastTheCopiedBytesStillDecode() {
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        byte[] destination = new byte[200];
        destination[0] = 60;
        destination[1] = (byte) (destination.length / 8 - 1);
        chain.writeBytes(destination);
        byte[] last = new byte[200];
        last[0] = 6;
        last[1] = (byte) (last.length / 8 - 1);
        chain.writeBytes(last);
        chain.writeBytes(TCP_SEGMENT);
        byte[] packet = ip6(60, chain.toByteArray());
        assertThat(packet.length).isGreaterThan(PacketDecoder.HEADER_BYTES + 100);
        assertThat(decode(packet, LinkType.RAW)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.dstPort).isEqualTo(80);
        assertThat(p.payloadLength).isEqualTo(3);
        assertThat(decode(concat(new byte[12], new byte[] {0x08, 0x00}, ip4()), LinkType.ETHERNET))
                .as("a short frame after a long one reads its own bytes").isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
    }

    /**
     * Frames read from a pcap file come with their first bytes already copied by the reader; decoding
     * from that copy (extended past it for long header chains) gives what decoding the frame does.
     */
    @Test
    void framesFromThePcapReaderDecodeFromItsCopyAsFromTheirOwnBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        ByteArrayOutputStream longChain = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            byte[] header = new byte[200];
            header[0] = (byte) (i == 0 ? 60 : 6);
            header[1] = (byte) (header.length / 8 - 1);
            longChain.writeBytes(header);
        }
        longChain.writeBytes(TCP_SEGMENT);
        byte[] ethernetIpv6 = concat(new byte[12], new byte[] {(byte) 0x86, (byte) 0xdd}, ip6(60, longChain.toByteArray()));
        byte[] ethernetIpv4 = concat(new byte[12], new byte[] {0x08, 0x00}, ip4());
        List<byte[]> frames = List.of(ethernetIpv4, ethernetIpv6, ethernetIpv4, Arrays.copyOf(ethernetIpv4, 20),
                ethernetIpv6, new byte[0], ethernetIpv4);
        java.nio.file.Path file = dir.resolve("frames.pcap");
        try (dev.vigil.net.pcap.PcapWriter w = dev.vigil.net.pcap.PcapWriter.create(file, LinkType.ETHERNET, 65_535)) {
            for (byte[] f : frames) {
                w.write(java.lang.foreign.MemorySegment.ofArray(f), 0, f.length, f.length, 1_000_000L);
            }
        }
        PacketDecoder own = new PacketDecoder();
        Packet expected = new Packet();
        try (dev.vigil.net.pcap.PacketReader r = dev.vigil.net.pcap.PcapFiles.open(file)) {
            dev.vigil.net.pcap.Frame f = new dev.vigil.net.pcap.Frame();
            for (int i = 0; i < frames.size(); i++) {
                assertThat(r.next(f)).isTrue();
                assertThat(f.headLength).as("frame %d copied by the reader", i).isEqualTo(Math.min(frames.get(i).length, PacketDecoder.HEADER_BYTES));
                int result = decoder.decode(f, p);
                assertThat(result).as("frame %d", i).isEqualTo(own.decode(frame(frames.get(i), LinkType.ETHERNET, 1), expected));
                if (result == PacketDecoder.DECODED) {
                    assertThat(p.srcPort).isEqualTo(expected.srcPort);
                    assertThat(p.dstPort).isEqualTo(80);
                    assertThat(p.payloadLength).as("frame %d", i).isEqualTo(3);
                    assertThat(p.data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.payloadOffset)).isEqualTo((byte) 'a');
                    assertThat(new long[] {p.srcHi, p.srcLo, p.dstHi, p.dstLo})
                            .isEqualTo(new long[] {expected.srcHi, expected.srcLo, expected.dstHi, expected.dstLo});
                }
            }
        }
    }

    private static byte[] chain(int headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < headers; i++) {
            out.writeBytes(new byte[] {(byte) (i == headers - 1 ? 6 : 60), 0, 1, 4, 0, 0, 0, 0});
        }
        out.writeBytes(TCP_SEGMENT);
        return out.toByteArray();
    }

    @Test
    void ipv4FragmentsOutOfOrderReassemble() {
        byte[] datagram = udp(5000, 53, new byte[100]);
        datagram[8] = 42;
        byte[] first = Arrays.copyOfRange(datagram, 0, 48);
        byte[] second = Arrays.copyOfRange(datagram, 48, datagram.length);
        assertThat(decode(ethernet(fragment4(second, 48, false)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.HELD);
        assertThat(decode(ethernet(fragment4(first, 0, true)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.protocol).isEqualTo(Packet.UDP);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(p.payloadLength).isEqualTo(100);
        assertThat(p.data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.payloadOffset)).isEqualTo((byte) 42);
        assertThat(p.ipLength).isEqualTo(20 + 108);
    }

    @Test
    void overlappingFragmentKeepsFirstBytesAndIsReported() {
        byte[] datagram = udp(5000, 53, new byte[40]);
        byte[] first = Arrays.copyOfRange(datagram, 0, 24);
        byte[] liar = Arrays.copyOfRange(datagram, 16, 48);
        liar[0] = 99;
        assertThat(decode(ethernet(fragment4(first, 0, true)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.HELD);
        assertThat(decode(ethernet(fragment4(liar, 16, false)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 16)).isEqualTo((byte) 0);
        assertThat(decoder.anomalyCount(Anomaly.fragment_overlap)).isEqualTo(1);
        assertThat(decoder.fragments().overlaps()).isEqualTo(1);
    }

    @Test
    void ipv6FragmentsReassemble() {
        byte[] datagram = udp(5000, 53, new byte[64]);
        byte[] a = Arrays.copyOfRange(datagram, 0, 32);
        byte[] b = Arrays.copyOfRange(datagram, 32, datagram.length);
        assertThat(decode(ip6(44, concat(new byte[] {17, 0, 0, 1, 0, 0, 0, 9}, a)), LinkType.RAW))
                .isEqualTo(PacketDecoder.HELD);
        assertThat(decode(ip6(44, concat(new byte[] {17, 0, 0, 32, 0, 0, 0, 9}, b)), LinkType.RAW))
                .isEqualTo(PacketDecoder.DECODED);
        assertThat(p.protocol).isEqualTo(Packet.UDP);
        assertThat(p.payloadLength).isEqualTo(64);
    }

    @Test
    void fragmentBeyondTheDatagramLimitIsDropped() {
        byte[] part = new byte[16];
        int offset = FragmentReassembler.MAX_DATAGRAM - 8;
        assertThat(decode(ethernet(fragment4(part, offset, true)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.fragment_dropped);
    }

    @Test
    void pendingDatagramsAreBoundedByTheLimit() {
        FragmentReassembler r = decoder.fragments();
        for (int i = 0; i <= FragmentReassembler.MAX_PENDING; i++) {
            byte[] f = fragment4(new byte[8], 0, true);
            f[4] = (byte) (i >> 8);
            f[5] = (byte) i;
            decode(ethernet(f), LinkType.ETHERNET);
        }
        assertThat(r.pendingCount()).isEqualTo(FragmentReassembler.MAX_PENDING);
        assertThat(r.dropped()).isEqualTo(1);
    }

    @Test
    void truncatedHeadersAreAnomaliesNotExceptions() {
        assertThat(decode(new byte[10], LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.truncated_link_header);
        byte[] ip = ip4();
        assertThat(decode(Arrays.copyOf(ip, 30), LinkType.RAW)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.truncated_TCP_header);
        assertThat(decode(Arrays.copyOf(ip, 12), LinkType.RAW)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.truncated_IP);
        assertThat(decode(new byte[] {0x50, 0, 0, 0}, LinkType.RAW)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.bad_IP_version);
        assertThat(decode(ip4(), 9999)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.unsupported_link_type);
    }

    @Test
    void icmpTypeAndCodeAreThePorts() {
        assertThat(decode(ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, new byte[56])), LinkType.RAW))
                .isEqualTo(PacketDecoder.DECODED);
        assertThat(p.srcPort).isEqualTo(8);
        assertThat(p.payloadLength).isEqualTo(56);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] padded = Arrays.copyOf(ethernet(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 0, 0, 16, new byte[0]))), 60);
        assertThat(decode(padded, LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.payloadLength).isZero();
        assertThat(p.ipLength).isEqualTo(40);
    }

    @Test
    void arpIsIgnored() {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(decode(arp, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OTHER);
    }

    /** An Ethernet frame (with {@code vlans}) carrying a PPPoE session frame around {@code ppp}: protocol then datagram. */
    static byte[] pppoe(byte[] ppp, int... vlans) {
        byte[] session = concat(new byte[] {0x11, 0, 0x55, 0x6a, (byte) (ppp.length >> 8), (byte) ppp.length}, ppp);
        byte[] frame = ethernet(session, vlans);
        frame[frame.length - session.length - 2] = (byte) 0x88;
        frame[frame.length - session.length - 1] = 0x64;
        return frame;
    }

    @Test
    void pppoeSessionCarriesIpv4AndIpv6() {
        assertThat(decode(pppoe(concat(new byte[] {0, 0x21}, ip4())), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
        byte[] v6 = ip6(17, udp(5353, 53, new byte[12]));
        assertThat(decode(pppoe(concat(new byte[] {0, 0x57}, v6)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.ipVersion).isEqualTo(6);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(p.payloadLength).isEqualTo(12);
    }

    @Test
    void pppoeInsideVlanTagsKeepsTheTags() {
        assertThat(decode(pppoe(concat(new byte[] {0, 0x21}, ip4()), 100, 200), LinkType.ETHERNET))
                .isEqualTo(PacketDecoder.DECODED);
        assertThat(p.vlan).isEqualTo(100);
        assertThat(p.innerVlan).isEqualTo(200);
        assertTcpFrom10();
    }

    @Test
    void pppoeWithACompressedProtocolField() {
        assertThat(decode(pppoe(concat(new byte[] {0x21}, ip4())), LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertTcpFrom10();
    }

    @Test
    void pppoeLengthBoundsTheDatagramSoPaddingIsNotPayload() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[0]));
        ip[2] = 0;
        ip[3] = 0;
        byte[] padded = Arrays.copyOf(pppoe(concat(new byte[] {0, 0x21}, ip)), 60);
        assertThat(decode(padded, LinkType.ETHERNET)).isEqualTo(PacketDecoder.DECODED);
        assertThat(p.ipLength).isEqualTo(28);
        assertThat(p.payloadLength).isZero();
    }

    @Test
    void pppoeControlProtocolsAndDiscoveryAreNotIp() {
        byte[] lcp = pppoe(new byte[] {(byte) 0xc0, 0x21, 1, 1, 0, 4});
        assertThat(decode(lcp, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OTHER);
        byte[] discovery = pppoe(new byte[] {0x01, 0x01, 0, 0});
        discovery[13] = 0x63;
        assertThat(decode(discovery, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OTHER);
    }

    @Test
    void pppoeHeadersCutShortOrWrongAreAnomalies() {
        byte[] whole = pppoe(concat(new byte[] {0, 0x21}, ip4()));
        for (int cut = 14; cut < 14 + 8; cut++) {
            assertThat(decode(Arrays.copyOf(whole, cut), LinkType.ETHERNET)).as("cut at %d", cut)
                    .isEqualTo(PacketDecoder.MALFORMED);
            assertThat(decoder.lastAnomaly()).as("cut at %d", cut).isEqualTo(Anomaly.truncated_pppoe_header);
        }
        byte[] version2 = whole.clone();
        version2[14] = 0x21;
        assertThat(decode(version2, LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.bad_pppoe_header);
        byte[] padi = whole.clone();
        padi[15] = 0x09;
        assertThat(decode(padi, LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.bad_pppoe_header);
        byte[] empty = whole.clone();
        empty[18] = 0;
        empty[19] = 0;
        assertThat(decode(empty, LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.bad_pppoe_header);
        byte[] oneByte = whole.clone();
        oneByte[19] = 1;
        oneByte[18] = 0;
        assertThat(decode(oneByte, LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.truncated_pppoe_header);
    }

    @Test
    void pppoeLengthShorterThanTheIpHeaderCutsTheDatagram() {
        byte[] shortLength = pppoe(concat(new byte[] {0, 0x21}, ip4()));
        shortLength[18] = 0;
        shortLength[19] = 12;
        assertThat(decode(shortLength, LinkType.ETHERNET)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(decoder.lastAnomaly()).isEqualTo(Anomaly.truncated_IP);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {11L, 12L, 13L, 14L})
    void mutatedPppoeFramesNeverThrow(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[][] valid = {pppoe(concat(new byte[] {0, 0x21}, ip4()), 100, 200),
            pppoe(concat(new byte[] {0x57}, ip6(17, udp(5353, 53, new byte[12])))),
            pppoe(new byte[] {(byte) 0xc0, 0x21, 1, 1, 0, 4})};
        for (int i = 0; i < 2_000; i++) {
            byte[] frame = dev.vigil.testkit.Mutations.mutate(random, valid[i % valid.length]);
            int r;
            try {
                r = decode(frame, LinkType.ETHERNET);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", iteration " + i + ": " + e, e);
            }
            assertThat(r).as("seed %d, iteration %d", seed, i).isBetween(PacketDecoder.DECODED, PacketDecoder.MALFORMED);
        }
    }

    static byte[] fragment4(byte[] part, int offset, boolean more) {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, part);
        int field = (more ? 0x2000 : 0) | (offset / 8);
        ip[4] = 0x12;
        ip[5] = 0x34;
        ip[6] = (byte) (field >> 8);
        ip[7] = (byte) field;
        return ip;
    }

    static byte[] ip6(int next, byte[] payload) {
        byte[] ip = new byte[40 + payload.length];
        ip[0] = 0x60;
        ip[4] = (byte) (payload.length >> 8);
        ip[5] = (byte) payload.length;
        ip[6] = (byte) next;
        ip[7] = 64;
        ip[8] = 0x20;
        ip[9] = 0x01;
        ip[10] = 0x0d;
        ip[11] = (byte) 0xb8;
        ip[23] = 1;
        ip[24] = 0x20;
        ip[25] = 0x01;
        ip[26] = 0x0d;
        ip[27] = (byte) 0xb8;
        ip[39] = 2;
        System.arraycopy(payload, 0, ip, 40, payload.length);
        return ip;
    }
}
