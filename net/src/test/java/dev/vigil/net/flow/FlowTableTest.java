package dev.vigil.net.flow;

import static dev.vigil.net.analysis.TestFrames.ACK;
import static dev.vigil.net.analysis.TestFrames.SYN;
import static dev.vigil.net.analysis.TestFrames.ethernet;
import static dev.vigil.net.analysis.TestFrames.frame;
import static dev.vigil.net.analysis.TestFrames.icmp;
import static dev.vigil.net.analysis.TestFrames.ipv4;
import static dev.vigil.net.analysis.TestFrames.tcpFrame;
import static dev.vigil.net.analysis.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.RecordingSink;
import dev.vigil.net.pcap.LinkType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlowTableTest {

    private final RecordingSink sink = new RecordingSink();

    private Pipeline pipeline(FlowConfig flows) {
        return new Pipeline(new PipelineConfig(flows.withUidSeed(9), null, 0, IdentityResolver.NONE), null, sink);
    }

    private static void udpPacket(Pipeline p, String src, int sport, String dst, int dport, long ts) {
        p.frame(frame(ethernet(ipv4(src, dst, 17, udp(sport, dport, new byte[10]))), LinkType.ETHERNET, ts));
    }

    @Test
    void maxFlowsAtTheLimitHoldsAndOneMoreEvictsTheOldestWithItsRecord() {
        Pipeline p = pipeline(FlowConfig.defaults().withMaxFlows(3));
        for (int i = 0; i < 3; i++) {
            udpPacket(p, "10.0.0.1", 1000 + i, "10.0.0.2", 53, 1_000_000L * (i + 1));
        }
        assertThat(sink.conns()).isEmpty();
        assertThat(p.flows().size()).isEqualTo(3);
        udpPacket(p, "10.0.0.1", 2000, "10.0.0.2", 53, 5_000_000L);
        assertThat(p.flows().size()).isEqualTo(3);
        assertThat(sink.conns()).singleElement().extracting(c -> c.id().origP()).isEqualTo(1000);
        assertThat(p.flows().evicted()).isEqualTo(1);
        WeirdRecord weird = (WeirdRecord) sink.records.stream().filter(r -> r instanceof WeirdRecord).findFirst().orElseThrow();
        assertThat(weird.addl()).isEqualTo(
                "max flows: 3 reached (active=3, evicted=1); raise --max-flows or lower the idle timeouts");
    }

    @Test
    void idleUdpFlowExpiresAfterItsTimeoutOnThePacketClock() {
        Pipeline p = pipeline(FlowConfig.defaults());
        udpPacket(p, "10.0.0.1", 1000, "10.0.0.2", 53, 1_000_000L);
        udpPacket(p, "10.0.0.3", 1000, "10.0.0.2", 53, 60_000_000L);
        assertThat(sink.conns()).isEmpty();
        udpPacket(p, "10.0.0.3", 1000, "10.0.0.2", 53, 62_000_000L);
        assertThat(sink.conns()).singleElement().extracting(c -> c.id().origH()).isEqualTo("10.0.0.1");
    }

    @Test
    void timestampsGoingBackwardsNeitherExpireFlowsNorGiveNegativeDurations() {
        Pipeline p = pipeline(FlowConfig.defaults());
        udpPacket(p, "10.0.0.1", 1000, "10.0.0.2", 53, 100_000_000L);
        udpPacket(p, "10.0.0.2", 53, "10.0.0.1", 1000, 99_000_000L);
        udpPacket(p, "10.0.0.1", 1000, "10.0.0.2", 53, 101_000_000L);
        p.finish();
        ConnRecord c = sink.conns().getFirst();
        assertThat(sink.conns()).hasSize(1);
        assertThat(c.ts()).isEqualTo(100.0);
        assertThat(c.duration()).isEqualTo(1.0);
        assertThat(c.respPkts()).isEqualTo(1);
    }

    @Test
    void activeTimeoutReportsAndRestartsLongFlows() {
        Pipeline p = pipeline(FlowConfig.defaults().withActiveTimeout(Duration.ofSeconds(30)));
        for (int s = 0; s <= 50; s += 10) {
            udpPacket(p, "10.0.0.1", 1000, "10.0.0.2", 53, s * 1_000_000L + 1);
        }
        p.finish();
        assertThat(sink.conns()).hasSize(2);
        assertThat(sink.conns().get(0).uid()).isNotEqualTo(sink.conns().get(1).uid());
    }

    @Test
    void udpOrientationFavoursTheLikelyServerPort() {
        Pipeline p = pipeline(FlowConfig.defaults());
        udpPacket(p, "10.0.0.2", 53, "10.0.0.1", 40000, 1);
        p.finish();
        ConnRecord c = sink.conns().getFirst();
        assertThat(c.id().origH()).isEqualTo("10.0.0.1");
        assertThat(c.id().respP()).isEqualTo(53);
        assertThat(c.connState()).isEqualTo("SHR");
        assertThat(c.history()).isEqualTo("^d");
    }

    @Test
    void icmpEchoRequestAndReplyAreOneFlowKeyedByTypeAndCounterpart() {
        Pipeline p = pipeline(FlowConfig.defaults());
        p.frame(frame(ethernet(ipv4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, new byte[56]))), LinkType.ETHERNET, 1));
        p.frame(frame(ethernet(ipv4("10.0.0.2", "10.0.0.1", 1, icmp(0, 0, new byte[56]))), LinkType.ETHERNET, 2));
        p.finish();
        ConnRecord c = sink.conns().getFirst();
        assertThat(sink.conns()).hasSize(1);
        assertThat(c.id().proto()).isEqualTo("icmp");
        assertThat(c.id().origP()).isEqualTo(8);
        assertThat(c.id().respP()).isEqualTo(0);
        assertThat(c.origBytes()).isEqualTo(56);
        assertThat(c.connState()).isEqualTo("OTH");
    }

    @Test
    void vlansSeparateOtherwiseIdenticalFlows() {
        Pipeline p = pipeline(FlowConfig.defaults());
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[1]));
        p.frame(frame(ethernet(ip, 10), LinkType.ETHERNET, 1));
        p.frame(frame(ethernet(ip, 20), LinkType.ETHERNET, 2));
        p.frame(frame(ethernet(ip, 10, 30), LinkType.ETHERNET, 3));
        p.finish();
        assertThat(sink.conns()).extracting(ConnRecord::vlan).containsExactlyInAnyOrder(10, 20, 10);
        assertThat(sink.conns()).extracting(ConnRecord::innerVlan).containsExactlyInAnyOrder(-1, -1, 30);
    }

    @Test
    void newSynAfterCloseStartsANewConnection() {
        Pipeline p = pipeline(FlowConfig.defaults());
        p.frame(tcpFrame("10.0.0.1", 1000, "10.0.0.2", 80, 100, 0, SYN, new byte[0], 1));
        p.frame(tcpFrame("10.0.0.2", 80, "10.0.0.1", 1000, 0, 101, 4 | ACK, new byte[0], 2));
        p.frame(tcpFrame("10.0.0.1", 1000, "10.0.0.2", 80, 5000, 0, SYN, new byte[0], 3));
        p.finish();
        assertThat(sink.conns()).extracting(ConnRecord::connState).containsExactly("REJ", "S0");
    }
}
