package dev.vigil.net.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Flow-level facts of the conformance corpus (INDEX.md and the suites' baselines) that the capture,
 * decode and flow layers own.
 */
class FlowConformanceTest {

    @Test
    void bug814VlanIpv6FlowHasSuricataPacketAndByteCounts() {
        List<ConnRecord> conns = CorpusRun.run("suricata-verify/bug-814/input.pcap").conns();
        assertThat(conns).hasSize(1);
        ConnRecord c = conns.getFirst();
        assertThat(c.id().origH()).isEqualTo("fe80::20c:29ff:fef3:cf38");
        assertThat(c.id().origP()).isEqualTo(58307);
        assertThat(c.id().respH()).isEqualTo("fe80::20c:29ff:faf2:ab42");
        assertThat(c.id().respP()).isEqualTo(80);
        assertThat(c.vlan()).isEqualTo(1111);
        assertThat(c.origPkts()).isEqualTo(4);
        assertThat(c.respPkts()).isEqualTo(3);
        // Suricata counts whole frames: IP bytes plus 14 Ethernet and 4 VLAN tag bytes per packet.
        assertThat(c.origIpBytes() + 18 * c.origPkts()).isEqualTo(461);
        assertThat(c.respIpBytes() + 18 * c.respPkts()).isEqualTo(234);
    }

    @Test
    void communityIdsMatchZeekBaselines() {
        assertThat(communityIds("zeek/testing/btest/Traces/communityid/tcp.pcap"))
                .containsExactly("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assertThat(communityIds("zeek/testing/btest/Traces/communityid/udp.pcap"))
                .containsExactly("1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
        assertThat(communityIds("zeek/testing/btest/Traces/communityid/ipv6.pcap"))
                .containsExactly("1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
    }

    @Test
    void communityIdOfSuricataIpv4TlsFlowWithTheSuiteSeed7() {
        List<ConnRecord> conns = CorpusRun.run(CorpusRun.pcap("suricata-verify/community-id-ipv4/input.pcap"), null,
                null, 7).conns();
        ConnRecord tls = conns.stream().filter(c -> c.id().respP() == 443).findFirst().orElseThrow();
        assertThat(tls.id().origH()).isEqualTo("172.26.0.39");
        assertThat(tls.id().origP()).isEqualTo(35958);
        assertThat(tls.id().respH()).isEqualTo("172.217.14.206");
        assertThat(tls.communityId()).isEqualTo("1:IwiTNfuO7aCaamMijl+7/X9uLx0=");
    }

    @Test
    void connectWithSmtpMatchesZeekConnLog() {
        List<ConnRecord> conns = CorpusRun.run("zeek/testing/btest/Traces/http/connect-with-smtp.pcap").conns();
        assertThat(conns).hasSize(1);
        ConnRecord c = conns.getFirst();
        assertThat(c.id().origH()).isEqualTo("79.26.245.236");
        assertThat(c.id().respP()).isEqualTo(8240);
        assertThat(c.duration()).isEqualTo(6.722274, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.origBytes()).isEqualTo(1685);
        assertThat(c.respBytes()).isEqualTo(223);
        assertThat(c.connState()).isEqualTo("SF");
        assertThat(c.missedBytes()).isZero();
        assertThat(c.history()).isEqualTo("ShADadtTfF");
        assertThat(new long[] {c.origPkts(), c.origIpBytes(), c.respPkts(), c.respIpBytes()})
                .containsExactly(14, 2257, 16, 944);
    }

    @Test
    void postgresqlTracesHaveZeekHistories() {
        assertThat(CorpusRun.run("zeek/testing/btest/Traces/postgresql/http-on-port-5432.pcap").conns().getFirst().history())
                .isEqualTo("ShADadFf");
        assertThat(CorpusRun.run("zeek/testing/btest/Traces/postgresql/mysql-on-port-5432.pcap").conns().getFirst().history())
                .isEqualTo("ShAdDaFf");
    }

    @Test
    void mongodbFlowsOnVlans50And100And300AreDistinct() {
        List<ConnRecord> conns = CorpusRun.run("ndpi/pcap/mongodb.pcap").conns();
        Map<String, List<Integer>> vlansByTuple = conns.stream().collect(Collectors.groupingBy(
                c -> c.id().origH() + ":" + c.id().origP() + ">" + c.id().respH() + ":" + c.id().respP(),
                Collectors.mapping(ConnRecord::vlan, Collectors.toList())));
        assertThat(conns).extracting(ConnRecord::vlan).containsOnly(50, 100, 300).contains(50, 100, 300);
        assertThat(vlansByTuple.values()).allSatisfy(v -> assertThat(v).doesNotHaveDuplicates());
        assertThat(vlansByTuple.values()).filteredOn(v -> v.size() > 1).isNotEmpty();
    }

    @Test
    void backwardsTimestampsGiveNoNegativeDurations() {
        for (String trace : List.of("suricata-verify/bug-2430/backwards.pcap",
                "bro-simple-scan/testing/pcaps/445_scan.pcap", "zeek/testing/btest/Traces/communityid/tcp.pcap")) {
            List<ConnRecord> conns = CorpusRun.run(trace).conns();
            assertThat(conns).as(trace).isNotEmpty();
            assertThat(conns).as(trace).allSatisfy(c -> {
                if (c.duration() != null) {
                    assertThat(c.duration()).isPositive();
                }
            });
        }
        ConnRecord proxied = CorpusRun.run("suricata-verify/bug-2430/backwards.pcap").conns().stream()
                .filter(c -> c.id().respP() == 8080).findFirst().orElseThrow();
        assertThat(proxied.id().respH()).isEqualTo("10.123.173.114");
    }

    @Test
    void dns53ResponseIsOrientedAsQueryFromClientAfterFlip() {
        List<ConnRecord> conns = CorpusRun.run(CorpusRun.pcap("zeek/testing/btest/Traces/dns53.pcap"),
                null, DnsDirection::new).conns();
        assertThat(conns).hasSize(1);
        ConnRecord c = conns.getFirst();
        assertThat(c.id().origH()).isEqualTo("10.20.1.31");
        assertThat(c.id().origP()).isEqualTo(53);
        assertThat(c.id().respP()).isEqualTo(53);
        assertThat(c.respPkts()).isEqualTo(1);
        assertThat(c.origPkts()).isZero();
        assertThat(c.history()).endsWith("^");
    }

    /** A test analyzer that knows only the DNS QR bit: a response seen from the originator flips roles. */
    private static final class DnsDirection implements AppAnalyzer {
        private final AppContext context;
        private final List<String> seen = new ArrayList<>();

        DnsDirection(AppContext context) {
            this.context = context;
        }

        @Override
        public void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros) {
            if (length >= 3) {
                boolean response = (bytes.get(ValueLayout.JAVA_BYTE, offset + 2) & 0x80) != 0;
                if (response && direction == Direction.ORIG) {
                    context.flipRoles();
                }
                seen.add(direction + (response ? " response" : " query"));
            }
        }

        @Override
        public void gap(Direction direction, long length) {
        }

        @Override
        public void end(long tsMicros) {
        }
    }

    private static List<String> communityIds(String trace) {
        return CorpusRun.run(trace).conns().stream().map(ConnRecord::communityId).toList();
    }
}
