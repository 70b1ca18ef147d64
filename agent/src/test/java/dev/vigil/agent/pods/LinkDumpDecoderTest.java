package dev.vigil.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkDumpDecoderTest {

    /** An attribute: length, type, value, padded to 4 bytes. */
    static byte[] attr(int type, byte[] value) {
        int len = 4 + value.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putShort((short) len).putShort((short) type).put(value);
        return b.array();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    static byte[] message(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int len = 16 + body.size();
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) 2).putInt(1).putInt(0).put(body.toByteArray());
        return b.array();
    }

    static byte[] ifinfo(int index) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).put((byte) 0).put((byte) 0).putShort((short) 1)
                .putInt(index).putInt(0).putInt(0).array();
    }

    static byte[] link(int index, String name, String kind, int peer, boolean elsewhere) {
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attrs.writeBytes(ifinfo(index));
        attrs.writeBytes(attr(LinkDumpDecoder.IFLA_IFNAME, cstr(name)));
        if (peer > 0) {
            attrs.writeBytes(attr(LinkDumpDecoder.IFLA_LINK, u32(peer)));
        }
        if (elsewhere) {
            attrs.writeBytes(attr(LinkDumpDecoder.IFLA_LINK_NETNSID, u32(0)));
        }
        if (kind != null) {
            attrs.writeBytes(attr(LinkDumpDecoder.IFLA_LINKINFO, attr(LinkDumpDecoder.IFLA_INFO_KIND, cstr(kind))));
        }
        return message(LinkDumpDecoder.RTM_NEWLINK, attrs.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static final byte[] DONE = message(LinkDumpDecoder.NLMSG_DONE, u32(0));

    @Test
    void decodesLinksAcrossDatagramsUntilDone() {
        LinkDumpDecoder d = new LinkDumpDecoder();
        byte[] first = concat(link(1, "lo", null, 0, false), link(2, "eth0", "veth", 17, true));
        assertThat(d.decode(first, first.length)).isEqualTo(LinkDumpDecoder.State.READ_MESSAGE);
        byte[] second = concat(link(3, "vigil0", "bridge", 0, false), DONE);
        assertThat(d.decode(second, second.length)).isEqualTo(LinkDumpDecoder.State.DONE);
        assertThat(d.links()).containsExactly(
                new LinkDumpDecoder.Link(1, "lo", null, 0, false),
                new LinkDumpDecoder.Link(2, "eth0", "veth", 17, true),
                new LinkDumpDecoder.Link(3, "vigil0", "bridge", 0, false));
        assertThat(d.anomaly()).isNull();
    }

    @Test
    void podEndPrefersEth0ThenAVethWithItsPeerElsewhere() {
        var lo = new LinkDumpDecoder.Link(1, "lo", null, 0, false);
        var net1 = new LinkDumpDecoder.Link(4, "net1", "veth", 9, true);
        var eth0 = new LinkDumpDecoder.Link(2, "eth0", "veth", 17, true);
        assertThat(PodFollower.podEnd(java.util.List.of(lo, net1, eth0))).isEqualTo(eth0);
        assertThat(PodFollower.podEnd(java.util.List.of(lo, net1))).isEqualTo(net1);
        assertThat(PodFollower.podEnd(java.util.List.of(lo))).isNull();
    }

    @Test
    void kernelErrorIsReported() {
        byte[] err = message(LinkDumpDecoder.NLMSG_ERROR, u32(-1));
        LinkDumpDecoder d = new LinkDumpDecoder();
        assertThat(d.decode(err, err.length)).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
        assertThat(d.anomaly()).isEqualTo("the kernel answered the link dump with error 1");
    }

    @Test
    void messageLongerThanItsDatagramIsAnAnomalyKeepingEarlierLinks() {
        byte[] whole = concat(link(1, "lo", null, 0, false), link(2, "eth0", "veth", 17, true));
        LinkDumpDecoder d = new LinkDumpDecoder();
        assertThat(d.decode(whole, whole.length - 4)).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
        assertThat(d.links()).extracting(LinkDumpDecoder.Link::name).containsExactly("lo");
        assertThat(d.anomaly()).startsWith("netlink message length ");
    }

    @Test
    void attributeRunningPastItsMessageIsAnAnomaly() {
        byte[] m = link(5, "eth0", "veth", 3, false);
        // the name attribute starts after the 16-byte header and the 16-byte ifinfomsg: claim 200 bytes
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putShort(32, (short) 200);
        LinkDumpDecoder d = new LinkDumpDecoder();
        assertThat(d.decode(m, m.length)).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
        assertThat(d.anomaly()).contains("attribute 3 of link 5 has length 200");
    }

    @Test
    void linksAtTheLimitDecodeAndOneMoreIsAnAnomaly() {
        LinkDumpDecoder d = new LinkDumpDecoder();
        for (int i = 1; i <= LinkDumpDecoder.MAX_LINKS; i++) {
            byte[] m = link(i, "v" + i, "veth", 0, false);
            assertThat(d.decode(m, m.length)).isEqualTo(LinkDumpDecoder.State.READ_MESSAGE);
        }
        byte[] extra = link(LinkDumpDecoder.MAX_LINKS + 1, "x", null, 0, false);
        assertThat(d.decode(extra, extra.length)).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
        assertThat(d.anomaly()).isEqualTo("max links: 4096 reached in one dump");
        assertThat(d.links()).hasSize(LinkDumpDecoder.MAX_LINKS);
    }

    @Test
    void attributesAtTheLimitDecodeAndOneMoreIsAnAnomaly() {
        for (int count : new int[] {LinkDumpDecoder.MAX_ATTRIBUTES, LinkDumpDecoder.MAX_ATTRIBUTES + 1}) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(ifinfo(7));
            body.writeBytes(attr(LinkDumpDecoder.IFLA_IFNAME, cstr("eth0")));
            for (int i = 1; i < count; i++) {
                body.writeBytes(attr(100, u32(i)));
            }
            byte[] m = message(LinkDumpDecoder.RTM_NEWLINK, body.toByteArray());
            LinkDumpDecoder d = new LinkDumpDecoder();
            d.decode(m, m.length);
            if (count == LinkDumpDecoder.MAX_ATTRIBUTES) {
                assertThat(d.state()).isEqualTo(LinkDumpDecoder.State.READ_MESSAGE);
                assertThat(d.links()).hasSize(1);
            } else {
                assertThat(d.state()).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
                assertThat(d.anomaly()).isEqualTo("max attributes: 512 reached in link 7");
            }
        }
    }

    @Test
    void namesAreCutAtTheLimit() {
        String longName = "n".repeat(LinkDumpDecoder.MAX_NAME + 1);
        byte[] m = link(1, longName, null, 0, false);
        LinkDumpDecoder d = new LinkDumpDecoder();
        d.decode(m, m.length);
        assertThat(d.links().getFirst().name()).hasSize(LinkDumpDecoder.MAX_NAME);
    }

    @Test
    void unexpectedMessageTypeIsAnAnomaly() {
        byte[] m = message(24, u32(0));
        LinkDumpDecoder d = new LinkDumpDecoder();
        assertThat(d.decode(m, m.length)).isEqualTo(LinkDumpDecoder.State.BAD_MESSAGE);
        assertThat(d.anomaly()).isEqualTo("unexpected netlink message type 24 in a link dump");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void mutatedDumpsNeverThrowAndEndInAKnownState(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = concat(link(1, "lo", null, 0, false), link(2, "eth0", "veth", 17, true),
                link(3, "net1", "macvlan", 2, false), DONE);
        for (int i = 0; i < 2000; i++) {
            byte[] b = Mutations.mutate(random, valid);
            LinkDumpDecoder d = new LinkDumpDecoder();
            LinkDumpDecoder.State s = d.decode(b, b.length);
            assertThat(s).as("seed %d, case %d", seed, i).isNotNull();
            assertThat(d.links().size()).as("seed %d, case %d", seed, i).isLessThanOrEqualTo(LinkDumpDecoder.MAX_LINKS);
            if (s == LinkDumpDecoder.State.BAD_MESSAGE) {
                assertThat(d.anomaly()).as("seed %d, case %d", seed, i).isNotBlank();
            }
        }
    }
}
