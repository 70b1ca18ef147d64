package dev.vigil.net.analysis;

import static dev.vigil.net.analysis.TestFrames.ethernet;
import static dev.vigil.net.analysis.TestFrames.frame;
import static dev.vigil.net.analysis.TestFrames.ipv4;
import static dev.vigil.net.analysis.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.scan.ScanConfig;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private final RecordingSink sink = new RecordingSink();

    /** An address book of two pods and one service, as the kube module would resolve them. */
    private static final IdentityResolver BOOK = new IdentityResolver() {
        private final Map<String, Endpoint> byIp = Map.of(
                "10.244.0.5", new Endpoint.Pod("10.244.0.5", "shop", "web-7d9f", new WorkloadRef("shop", "Deployment", "web"), "node-1"),
                "10.96.0.10", new Endpoint.Service("10.96.0.10", "kube-system", "kube-dns"));

        @Override
        public Endpoint resolve(String ip, Instant at) {
            return byIp.getOrDefault(ip, new Endpoint.External(ip, null));
        }

        @Override
        public Optional<ContainerIdentity> container(String containerId) {
            return Optional.empty();
        }
    };

    private void send(Pipeline p, String src, int sport, String dst, int dport, long ts, byte[] payload) {
        p.frame(frame(ethernet(ipv4(src, dst, 17, udp(sport, dport, payload))), LinkType.ETHERNET, ts));
    }

    @Test
    void recordsCarryPodAndWorkloadNamesOfBothEnds() {
        Pipeline p = new Pipeline(new PipelineConfig(FlowConfig.defaults().withUidSeed(1), null, 0, BOOK),
                ctx -> new Echo(ctx), sink);
        send(p, "10.244.0.5", 40000, "10.96.0.10", 53, 1_000_000, "q".getBytes());
        p.finish();
        List<String> lines = sink.records.stream().map(LogRecord::toJson).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("\"orig_namespace\":\"shop\"", "\"orig_pod\":\"web-7d9f\"",
                "\"orig_workload\":\"shop/web\"", "\"orig_workload_kind\":\"Deployment\"",
                "\"resp_namespace\":\"kube-system\"", "\"resp_service\":\"kube-dns\""));
        assertThat(lines.getFirst()).startsWith("{\"log\":\"echo\"");
    }

    @Test
    void analyzersSeeBothDirectionsAndTheirServiceAndEncryptionReachConn() {
        List<String> seen = new ArrayList<>();
        Pipeline p = new Pipeline(new PipelineConfig(FlowConfig.defaults(), null, 0, IdentityResolver.NONE), ctx ->
                new AppAnalyzer() {
                    @Override
                    public void data(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
                        seen.add(direction + ":" + length);
                        ctx.addService("demo");
                        ctx.addService("demo");
                        ctx.encrypted(false);
                    }

                    @Override
                    public void gap(Direction direction, long length) {
                    }

                    @Override
                    public void end(long ts) {
                        seen.add("end");
                    }
                }, sink);
        send(p, "10.0.0.1", 40000, "10.0.0.2", 7, 1, new byte[3]);
        send(p, "10.0.0.2", 7, "10.0.0.1", 40000, 2, new byte[5]);
        p.finish();
        assertThat(seen).containsExactly("ORIG:3", "RESP:5", "end");
        assertThat(sink.conns().getFirst().service()).isEqualTo("demo");
        assertThat(sink.conns().getFirst().encrypted()).isFalse();
    }

    @Test
    void aThrowingAnalyzerIsDisabledAndReportedNotFatal() {
        Pipeline p = new Pipeline(PipelineConfig.defaults(), ctx -> new AppAnalyzer() {
            @Override
            public void data(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void gap(Direction direction, long length) {
            }

            @Override
            public void end(long ts) {
            }
        }, sink);
        send(p, "10.0.0.1", 40000, "10.0.0.2", 7, 1, new byte[3]);
        send(p, "10.0.0.1", 40000, "10.0.0.2", 7, 2, new byte[3]);
        p.finish();
        assertThat(sink.records).filteredOn(r -> r instanceof WeirdRecord).singleElement()
                .satisfies(r -> assertThat(((WeirdRecord) r).name()).isEqualTo("analyzer_exception"));
        assertThat(sink.conns()).hasSize(1);
    }

    @Test
    void decodeAnomaliesBecomeWeirdsWithExactCountsBeyondTheRecordLimit() {
        Pipeline p = new Pipeline(PipelineConfig.defaults(), null, sink);
        for (int i = 0; i < PipelineConfig.MAX_WEIRDS_PER_NAME + 5; i++) {
            p.frame(frame(new byte[] {0x45, 0, 0}, LinkType.RAW, i));
        }
        assertThat(sink.records).hasSize(PipelineConfig.MAX_WEIRDS_PER_NAME);
        assertThat(((WeirdRecord) sink.records.getFirst()).name()).isEqualTo("truncated_IP");
        assertThat(p.weirdCounts()).containsEntry("truncated_IP", (long) PipelineConfig.MAX_WEIRDS_PER_NAME + 5);
    }

    @Test
    void tickExpiresIdleFlowsWhenNoPacketsArrive() {
        Pipeline p = new Pipeline(PipelineConfig.defaults(), null, sink);
        send(p, "10.0.0.1", 40000, "10.0.0.2", 7, 1_000_000, new byte[1]);
        p.tick(30_000_000);
        assertThat(sink.conns()).isEmpty();
        p.tick(62_000_001);
        assertThat(sink.conns()).hasSize(1);
    }

    @Test
    void scanNoticesComeThroughThePipeline() {
        Pipeline p = new Pipeline(new PipelineConfig(FlowConfig.defaults(), new ScanConfig(3, 25,
                java.time.Duration.ofMinutes(5)), 0, IdentityResolver.NONE), null, sink);
        for (int port = 1; port <= 3; port++) {
            p.frame(TestFrames.tcpFrame("10.0.0.9", 50000, "10.0.0.1", port, 1, 0, TestFrames.SYN, new byte[0], port));
            p.frame(TestFrames.tcpFrame("10.0.0.1", port, "10.0.0.9", 50000, 0, 2, TestFrames.RST | TestFrames.ACK,
                    new byte[0], port));
        }
        p.tick(20_000_000);
        assertThat(sink.notices()).singleElement().satisfies(n -> assertThat(n.note()).isEqualTo("Scan::Port_Scan"));
    }

    @Test
    void arpRequestsForManyAddressesAreAPingSweepOfTheAsker() {
        Pipeline p = new Pipeline(new PipelineConfig(FlowConfig.defaults(), new ScanConfig(15, 25,
                java.time.Duration.ofMinutes(5)), 0, BOOK), null, sink);
        long ts = 1_000_000;
        p.frame(TestFrames.arpFrame(1, "10.244.0.5", "10.244.0.5", ts));
        p.frame(TestFrames.arpFrame(1, "0.0.0.0", "10.244.0.77", ts));
        for (int host = 1; host <= 24; host++) {
            p.frame(TestFrames.arpFrame(1, "10.244.0.5", "10.244.1." + host, ts += 1000));
            p.frame(TestFrames.arpFrame(1, "10.244.0.5", "10.244.1." + host, ts += 1000));
            p.frame(TestFrames.arpFrame(2, "10.244.1." + host, "10.244.0.5", ts += 1000));
        }
        assertThat(sink.json("notice")).as("24 distinct addresses, gratuitous ARP and probes not counted").isEmpty();
        p.frame(TestFrames.arpFrame(1, "10.244.0.5", "10.244.1.25", ts += 1000));
        assertThat(sink.json("notice")).singleElement().satisfies(json -> assertThat(json).contains(
                "\"note\":\"Scan::Ping_Sweep\"", "\"src\":\"10.244.0.5\"", "\"n\":25", "\"proto\":\"arp\"",
                "\"orig_pod\":\"web-7d9f\"", "pinged at least 25 unique hosts"));
    }

    @Test
    void truncatedArpIsAnAnomaly() {
        Pipeline p = new Pipeline(PipelineConfig.defaults(), null, sink);
        byte[] frame = new byte[14 + 20];
        frame[12] = 0x08;
        frame[13] = 0x06;
        p.frame(TestFrames.frame(frame, dev.vigil.net.pcap.LinkType.ETHERNET, 1));
        assertThat(sink.json("weird")).singleElement().satisfies(json -> assertThat(json).contains("truncated_ARP"));
    }

    /** Emits one record per datagram, through the context. */
    private record Echo(AppContext context) implements AppAnalyzer {
        @Override
        public void data(Direction direction, MemorySegment bytes, long offset, int length, long ts) {
            context.emit(new LogRecord() {
                @Override
                public String log() {
                    return "echo";
                }

                @Override
                public double ts() {
                    return ts / 1e6;
                }

                @Override
                public void writeTo(dev.vigil.model.record.FieldSink sink) {
                    context.id().writeTo(sink);
                }
            });
        }

        @Override
        public void gap(Direction direction, long length) {
        }

        @Override
        public void end(long ts) {
        }
    }
}
