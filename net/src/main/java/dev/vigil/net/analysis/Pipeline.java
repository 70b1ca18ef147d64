package dev.vigil.net.analysis;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.decode.Anomaly;
import dev.vigil.net.decode.Packet;
import dev.vigil.net.decode.PacketDecoder;
import dev.vigil.net.flow.CommunityId;
import dev.vigil.net.flow.EndReason;
import dev.vigil.net.flow.Flow;
import dev.vigil.net.flow.FlowEvents;
import dev.vigil.net.flow.FlowKey;
import dev.vigil.net.flow.FlowTable;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.scan.ScanDetector;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The network sensor's core path for one capture source: frame → {@link PacketDecoder} (link, VLAN,
 * IP, fragments, transport) → {@link FlowTable} (Zeek connection state, TCP reassembly) → the
 * {@link AppAnalyzer} the {@link AppAnalyzerFactory} made for each connection → records
 * ({@code conn} when a flow ends, application logs as analyzers emit them, {@code notice} from the
 * {@link ScanDetector}, {@code weird} for anomalies) → the {@link RecordSink}.
 *
 * <p>Time: flows and timeouts run on a monotone clock, the highest packet time seen so far, so
 * timestamps that go backwards never expire flows early or make durations negative; records keep each
 * packet's own time. The per-packet path allocates nothing; allocation happens per new flow and per
 * record. Single-threaded: one pipeline per capture source.
 */
public final class Pipeline implements FlowEvents {

    private final PipelineConfig config;
    private final AppAnalyzerFactory analyzers;
    private final RecordSink sink;
    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet packet = new Packet();
    private final FlowTable flows;
    private final CommunityId communityId;
    private final ScanDetector scans;
    private final IdentityResolver identities;
    private final Map<String, long[]> weirdCounts = new HashMap<>();
    /** A packet this far behind the clock is a clock jump (e.g. the next file of an unrelated capture): the clock is rebased. */
    public static final long BACKWARD_JUMP_MICROS = 60_000_000L;

    private long mono = Long.MIN_VALUE;
    private long clockOffset;
    private long frames;
    private long bytes;
    private long decoded;
    private long nextScanSweep;

    public Pipeline(PipelineConfig config, AppAnalyzerFactory analyzers, RecordSink sink) {
        this.config = config;
        this.analyzers = analyzers != null ? analyzers : NoAnalyzer.FACTORY;
        this.sink = sink;
        this.flows = new FlowTable(config.flows(), this);
        this.communityId = new CommunityId(config.communityIdSeed());
        this.scans = config.scan() != null ? new ScanDetector(config.scan()) : null;
        this.identities = config.identities();
    }

    /**
     * Reads a whole capture file through a new pipeline and finishes it; returns the pipeline for its
     * counters. The simplest way to run analyzers over a pcap (tests, tools).
     */
    public static Pipeline analyze(java.nio.file.Path file, PipelineConfig config, AppAnalyzerFactory analyzers,
                                   RecordSink sink) throws java.io.IOException {
        Pipeline pipeline = new Pipeline(config, analyzers, sink);
        Frame frame = new Frame();
        try (dev.vigil.net.pcap.PacketReader reader = dev.vigil.net.pcap.PcapFiles.open(file)) {
            while (reader.next(frame)) {
                pipeline.frame(frame);
            }
        }
        pipeline.finish();
        return pipeline;
    }

    /** Processes one captured frame. */
    public void frame(Frame frame) {
        frames++;
        bytes += frame.capturedLength;
        advanceClock(frame.tsMicros);
        int result = decoder.decode(frame, packet);
        if (result == PacketDecoder.DECODED) {
            decoded++;
            flows.process(packet, mono);
        } else if (result == PacketDecoder.ARP) {
            if (scans != null && packet.arpOperation == 1) {
                scans.observeArpRequest(FlowKey.address(0, packet.srcLo), FlowKey.address(0, packet.dstLo),
                        frame.tsMicros, mono, this::arpNotice);
            }
        } else if (result == PacketDecoder.MALFORMED) {
            Anomaly a = decoder.lastAnomaly();
            weird(frame.tsMicros, null, a.name(), null, "decode");
        }
        if (scans != null && mono >= nextScanSweep) {
            scans.sweep(mono);
            nextScanSweep = mono + 60_000_000L;
        }
    }

    /**
     * The monotone clock: the highest packet time seen, where small steps backwards do not move it
     * and a jump backwards beyond {@link #BACKWARD_JUMP_MICROS} rebases it so time keeps flowing.
     */
    private void advanceClock(long ts) {
        long adjusted = ts + clockOffset;
        if (mono != Long.MIN_VALUE && adjusted < mono - BACKWARD_JUMP_MICROS) {
            clockOffset = mono - ts;
            adjusted = mono;
        }
        if (adjusted > mono) {
            mono = adjusted;
        }
    }

    /** Ends every flow (end of input or shutdown), writing their records. */
    public void finish() {
        flows.flush();
    }

    /** Expires idle flows at the current monotone time; live capture calls it when no packet arrives. */
    public void tick(long nowMicros) {
        advanceClock(nowMicros);
        flows.expire(mono);
    }

    @Override
    public void emit(Flow flow, LogRecord record) {
        sink.accept(withIdentity(flow, record));
    }

    @Override
    public void anomaly(Flow flow, String name, String detail) {
        weird(flow.lastTs(), flow, name, detail, "flow");
    }

    @Override
    public AppAnalyzer createAnalyzer(Flow flow) {
        AppAnalyzer a = analyzers.create(flow);
        return a != null ? a : NoAnalyzer.INSTANCE;
    }

    @Override
    public void ended(Flow flow, EndReason reason) {
        long duration = flow.durationMicros();
        ConnRecord conn = new ConnRecord(flow.firstTs() / 1e6, flow.uid(), flow.id(), flow.service(),
                duration > 0 ? duration / 1e6 : null, flow.origBytes(), flow.respBytes(), flow.connState(),
                flow.missedBytes(), flow.history(), flow.origPkts(), flow.origIpBytes(), flow.respPkts(),
                flow.respIpBytes(), communityId.of(flow), flow.vlan(), flow.innerVlan(), flow.encrypted());
        sink.accept(withIdentity(flow, conn));
        if (scans != null) {
            scans.observe(conn, mono, notice -> sink.accept(withIdentity(flow, notice)));
        }
        if (reason == EndReason.EVICTED && flows.evicted() == 1) {
            weird(flow.firstTs(), null, "max_flows_reached", "max flows: " + flows.config().maxFlows()
                    + " reached (active=" + (flows.size() + 1) + ", evicted=" + flows.evicted()
                    + "); raise --max-flows or lower the idle timeouts", "flow");
        }
    }

    private void weird(long tsMicros, Flow flow, String name, String detail, String source) {
        long[] count = weirdCounts.computeIfAbsent(name, k -> new long[1]);
        if (count[0]++ < PipelineConfig.MAX_WEIRDS_PER_NAME) {
            WeirdRecord w = new WeirdRecord(tsMicros / 1e6, flow != null ? flow.uid() : null,
                    flow != null ? flow.id() : null, name, detail, source);
            sink.accept(flow != null ? withIdentity(flow, w) : w);
        }
    }

    private void arpNotice(NoticeRecord notice) {
        if (identities == IdentityResolver.NONE) {
            sink.accept(notice);
            return;
        }
        Instant at = Instant.ofEpochSecond(0, Math.round(notice.ts() * 1e9));
        sink.accept(new IdentityFields(notice, identities.resolve(notice.id().origH(), at),
                identities.resolve(notice.id().respH(), at)));
    }

    private LogRecord withIdentity(Flow flow, LogRecord record) {
        if (identities == IdentityResolver.NONE) {
            return record;
        }
        Endpoint[] ends = (Endpoint[]) flow.attachment;
        if (ends == null) {
            Instant at = Instant.ofEpochSecond(0, flow.firstTs() * 1000);
            ends = new Endpoint[] {
                    identities.resolve(FlowKey.address(flow.origHi(), flow.origLo()), at),
                    identities.resolve(FlowKey.address(flow.respHi(), flow.respLo()), at)};
            flow.attachment = ends;
        }
        return new IdentityFields(record, ends[0], ends[1]);
    }

    /** Frames seen. */
    public long frames() {
        return frames;
    }

    /** Captured bytes seen. */
    public long bytes() {
        return bytes;
    }

    /** Frames decoded to a TCP, UDP or ICMP packet. */
    public long decoded() {
        return decoded;
    }

    /** The flow table (counters, configuration). */
    public FlowTable flows() {
        return flows;
    }

    /** The decoder (anomaly counters). */
    public PacketDecoder decoder() {
        return decoder;
    }

    /** Anomaly counts by name, including those beyond {@link PipelineConfig#MAX_WEIRDS_PER_NAME}. */
    public Map<String, Long> weirdCounts() {
        Map<String, Long> out = new HashMap<>();
        weirdCounts.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
