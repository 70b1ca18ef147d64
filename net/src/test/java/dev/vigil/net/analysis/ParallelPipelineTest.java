package dev.vigil.net.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.detect.ProtocolDetector;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.LinkType;
import dev.vigil.net.scan.ScanConfig;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel path gives the records of one pipeline: the same multiset of records, uids included,
 * and the same counters, over every capture of the corpora (with scan thresholds so low that scans
 * fire everywhere, so the order in which attempts reach the detector shows) and over synthetic traffic
 * with timestamps that go backwards, fragments, ARP sweeps, idle expiry and evictions.
 */
class ParallelPipelineTest {

    private static final ScanConfig LOW_SCAN = new ScanConfig(3, 3, Duration.ofMinutes(5));

    static Stream<Path> corpusCaptures() throws IOException {
        Path root = Requirements.corpora().resolve("pcaps");
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> captures = files.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".trace") || n.endsWith(".cap");
            }).sorted().toList();
            assertThat(captures).as("captures under %s", root).hasSizeGreaterThan(40);
            return captures.stream();
        }
    }

    /** Everything one run produced: sorted JSON lines (weirds included) and the counters. */
    private record Outcome(List<String> lines, long frames, long flows, java.util.Map<String, Long> weirds) {
    }

    private static PipelineConfig config(ScanConfig scan, int maxFlows) {
        return new PipelineConfig(FlowConfig.defaults().withUidSeed(42).withMaxFlows(maxFlows), scan, 0,
                IdentityResolver.NONE);
    }

    private static Outcome run(int workers, PipelineConfig config, List<Frame> frames) {
        List<LogRecord> records = new ArrayList<>();
        RecordSink sink = r -> {
            synchronized (records) {
                records.add(r);
            }
        };
        CaptureAnalysis analysis = workers == 1 ? new Pipeline(config, new ProtocolDetector(), sink)
                : new ParallelPipeline(config, new ProtocolDetector(), workers, () -> sink);
        try (analysis) {
            for (Frame f : frames) {
                analysis.frame(f);
            }
            analysis.finish();
        }
        return outcome(records, analysis);
    }

    private static Outcome run(int workers, PipelineConfig config, Path file) throws IOException {
        List<LogRecord> records = new ArrayList<>();
        RecordSink sink = r -> {
            synchronized (records) {
                records.add(r);
            }
        };
        CaptureAnalysis analysis = workers == 1 ? Pipeline.analyze(file, config, new ProtocolDetector(), sink)
                : ParallelPipeline.analyze(file, config, new ProtocolDetector(), workers, sink);
        return outcome(records, analysis);
    }

    private static Outcome outcome(List<LogRecord> records, CaptureAnalysis analysis) {
        List<String> lines = new ArrayList<>(records.stream().map(LogRecord::toJson).toList());
        lines.sort(null);
        return new Outcome(lines, analysis.frames(), analysis.flowsCreated(), analysis.weirdCounts());
    }

    @ParameterizedTest
    @MethodSource("corpusCaptures")
    void everyCorpusCaptureGivesOnePipelinesRecordsOnTwoAndThreeThreads(Path capture) throws IOException {
        for (ScanConfig scan : new ScanConfig[] {ScanConfig.defaults(), LOW_SCAN}) {
            Outcome one = run(1, config(scan, FlowConfig.DEFAULT_MAX_FLOWS), capture);
            for (int workers : new int[] {2, 3}) {
                Outcome many = run(workers, config(scan, FlowConfig.DEFAULT_MAX_FLOWS), capture);
                assertThat(many).as("%s, %d threads, scan thresholds %s", capture, workers, scan).isEqualTo(one);
            }
        }
    }

    /**
     * Seeded synthetic traffic: a scanner sweeping ports and hosts (SYNs left unanswered or reset),
     * completed connections with payload, UDP and ICMP, ARP requests, IPv4 fragments of UDP datagrams
     * interleaved with other flows, timestamps that step back a little or jump back beyond the rebase
     * threshold, and quiet stretches that expire flows.
     */
    static List<Frame> traffic(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Frame> frames = new ArrayList<>();
        long ts = 1_700_000_000_000_000L;
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            if (kind < 3) {
                ts -= random.nextLong(1, 5_000_000);
            } else if (kind < 4) {
                ts -= Pipeline.BACKWARD_JUMP_MICROS + random.nextLong(1, 600_000_000);
            } else if (kind < 6) {
                ts += random.nextLong(1_000_000, 400_000_000);
            } else {
                ts += random.nextLong(0, 20_000);
            }
            String scanner = "10.0.0." + (1 + random.nextInt(3));
            String host = "10.1." + random.nextInt(4) + "." + (1 + random.nextInt(40));
            int port = 1 + random.nextInt(40);
            int sport = 20_000 + random.nextInt(400);
            if (kind < 40) {
                int flags = random.nextInt(4) == 0 ? TestFrames.RST | TestFrames.ACK : TestFrames.SYN;
                boolean reply = flags != TestFrames.SYN;
                frames.add(reply ? TestFrames.tcpFrame(host, port, scanner, sport, 0, 1, flags, new byte[0], ts)
                        : TestFrames.tcpFrame(scanner, sport, host, port, random.nextInt(), 0, flags, new byte[0], ts));
            } else if (kind < 60) {
                int seq = 1000;
                frames.add(TestFrames.tcpFrame(scanner, sport, host, 80, seq, 0, TestFrames.SYN, new byte[0], ts));
                frames.add(TestFrames.tcpFrame(host, 80, scanner, sport, 5000, seq + 1,
                        TestFrames.SYN | TestFrames.ACK, new byte[0], ts + 10));
                byte[] request = ("GET /" + i + " HTTP/1.1\r\nHost: h" + i + "\r\n\r\n").getBytes();
                frames.add(TestFrames.tcpFrame(scanner, sport, host, 80, seq + 1, 5001,
                        TestFrames.ACK | TestFrames.PSH, request, ts + 20));
                frames.add(TestFrames.tcpFrame(scanner, sport, host, 80, seq + 1 + request.length, 5001,
                        TestFrames.FIN | TestFrames.ACK, new byte[0], ts + 30));
            } else if (kind < 72) {
                byte[] udp = TestFrames.udp(sport, 53 + random.nextInt(3), new byte[random.nextInt(60)]);
                frames.add(TestFrames.frame(TestFrames.ethernet(TestFrames.ipv4(scanner, host, 17, udp),
                        random.nextInt(3) == 0 ? new int[] {7} : new int[0]), LinkType.ETHERNET, ts));
            } else if (kind < 80) {
                byte[] ping = TestFrames.icmp(8, 0, new byte[8]);
                frames.add(TestFrames.frame(TestFrames.ethernet(TestFrames.ipv4(scanner, host, 1, ping)),
                        LinkType.ETHERNET, ts));
            } else if (kind < 88) {
                frames.add(TestFrames.arpFrame(1, scanner, host, ts));
            } else {
                byte[] datagram = TestFrames.udp(sport, 5353, new byte[64 + random.nextInt(64)]);
                int id = random.nextInt(65_536);
                int split = 8 * (1 + random.nextInt(datagram.length / 8 - 1));
                Frame first = fragment(scanner, host, id, datagram, 0, split, true, ts);
                Frame second = fragment(scanner, host, id, datagram, split, datagram.length, false, ts + 5);
                boolean reversed = random.nextBoolean();
                frames.add(reversed ? second : first);
                frames.add(TestFrames.tcpFrame(scanner, sport + 1, host, port, 7, 0, TestFrames.SYN, new byte[0],
                        ts + 2));
                frames.add(reversed ? first : second);
            }
        }
        return frames;
    }

    private static Frame fragment(String src, String dst, int id, byte[] datagram, int from, int to, boolean more,
                                  long ts) {
        byte[] ip = TestFrames.ipv4(src, dst, 17, Arrays.copyOfRange(datagram, from, to));
        ip[4] = (byte) (id >> 8);
        ip[5] = (byte) id;
        int field = (more ? 0x2000 : 0) | from / 8;
        ip[6] = (byte) (field >> 8);
        ip[7] = (byte) field;
        return TestFrames.frame(TestFrames.ethernet(ip), LinkType.ETHERNET, ts);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0x5eed})
    void syntheticTrafficWithBackwardsTimeFragmentsAndScansGivesTheSameRecords(long seed) {
        List<Frame> frames = traffic(seed, 6_000);
        PipelineConfig config = config(new ScanConfig(4, 4, Duration.ofSeconds(30)), FlowConfig.DEFAULT_MAX_FLOWS);
        Outcome one = run(1, config, frames);
        assertThat(one.lines()).as("seed %x: notices fire", seed).anyMatch(l -> l.contains("\"log\":\"notice\""));
        assertThat(one.lines()).as("seed %x: fragments reassemble", seed).anyMatch(l -> l.contains("\"id.resp_p\":5353"));
        for (int workers : new int[] {2, 4, 7}) {
            assertThat(run(workers, config, frames)).as("seed %x, %d threads", seed, workers).isEqualTo(one);
        }
    }

    @Test
    void maxFlowsIsSplitOverTheTablesAndReportedOnce() {
        List<Frame> frames = traffic(9, 2_000);
        List<LogRecord> records = new ArrayList<>();
        try (ParallelPipeline p = new ParallelPipeline(config(null, 8), null, 4, () -> r -> {
            synchronized (records) {
                records.add(r);
            }
        })) {
            frames.forEach(p::frame);
            p.finish();
            assertThat(p.weirdCounts()).containsEntry("max_flows_reached", 1L);
        }
        List<WeirdRecord> weirds = records.stream().filter(r -> r instanceof WeirdRecord).map(r -> (WeirdRecord) r)
                .filter(w -> w.name().equals("max_flows_reached")).toList();
        assertThat(weirds).hasSize(1);
        assertThat(weirds.getFirst().addl()).startsWith("max flows: 8 reached (4 flow tables of 2, active=");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFailingWorkerStopsTheReaderWithItsError() {
        IllegalStateException broken = new IllegalStateException("sink broken");
        List<Frame> frames = traffic(4, 50_000);
        assertThatThrownBy(() -> {
            try (ParallelPipeline p = new ParallelPipeline(config(null, FlowConfig.DEFAULT_MAX_FLOWS), null, 2,
                    () -> r -> {
                        if (Thread.currentThread().getName().startsWith("vigil-flows")) {
                            throw broken;
                        }
                    })) {
                frames.forEach(p::frame);
                p.finish();
            }
        }).isSameAs(broken);
    }

    @Test
    void workerCountsOutsideTheLimitsAreRejected() {
        for (int workers : new int[] {0, ParallelPipeline.MAX_WORKERS + 1}) {
            assertThatThrownBy(() -> new ParallelPipeline(PipelineConfig.defaults(), null, workers, () -> r -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("workers: " + workers + " outside 1.." + ParallelPipeline.MAX_WORKERS);
        }
    }
}
