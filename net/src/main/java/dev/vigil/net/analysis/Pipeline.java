package dev.vigil.net.analysis;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.decode.Anomaly;
import dev.vigil.net.decode.PacketDecoder;
import dev.vigil.net.flow.FlowTable;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.PacketReader;
import dev.vigil.net.pcap.PcapFiles;
import dev.vigil.net.scan.ScanDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The network sensor's core path for one capture source, on the caller's thread: frame →
 * {@link PacketDecoder} (link, VLAN, IP, fragments, transport) → {@link FlowTable} (Zeek connection
 * state, TCP reassembly) → the {@link AppAnalyzer} the {@link AppAnalyzerFactory} made for each
 * connection → records ({@code conn} when a flow ends, application logs as analyzers emit them,
 * {@code notice} from the {@link ScanDetector}, {@code weird} for anomalies) → the {@link RecordSink}.
 *
 * <p>Time: flows and timeouts run on a monotone clock, the highest packet time seen so far, so
 * timestamps that go backwards never expire flows early or make durations negative; records keep each
 * packet's own time. The per-packet path allocates nothing; allocation happens per new flow and per
 * record. Single-threaded: one pipeline per capture source ({@link ParallelPipeline} spreads one
 * capture's flows over threads with the same results).
 */
public final class Pipeline implements CaptureAnalysis {

    /** A packet this far behind the clock is a clock jump (e.g. the next file of an unrelated capture): the clock is rebased. */
    public static final long BACKWARD_JUMP_MICROS = 60_000_000L;

    private final Weirds weirds = new Weirds();
    private final FlowStage flows;
    private final FrameStage frames;

    public Pipeline(PipelineConfig config, AppAnalyzerFactory analyzers, RecordSink sink) {
        ScanStage scans = config.scan() != null ? new ScanStage(config.scan(), config.identities(), 0) : null;
        this.flows = new FlowStage(config, config.flows(), 1, analyzers, sink, weirds, scans);
        this.frames = new FrameStage(flows, scans, weirds, sink);
    }

    /**
     * Reads a whole capture file through a new pipeline and finishes it; returns the pipeline for its
     * counters. The simplest way to run analyzers over a pcap (tests, tools).
     */
    public static Pipeline analyze(Path file, PipelineConfig config, AppAnalyzerFactory analyzers, RecordSink sink)
            throws IOException {
        Pipeline pipeline = new Pipeline(config, analyzers, sink);
        read(file, pipeline);
        return pipeline;
    }

    /** Feeds every frame of {@code file} to {@code analysis} and finishes it. */
    static void read(Path file, CaptureAnalysis analysis) throws IOException {
        Frame frame = new Frame();
        try (PacketReader reader = PcapFiles.open(file)) {
            while (reader.next(frame)) {
                analysis.frame(frame);
            }
        }
        analysis.finish();
    }

    @Override
    public void frame(Frame frame) {
        frames.frame(frame);
    }

    @Override
    public void finish() {
        flows.finish(frames.mono());
    }

    /** Expires idle flows at wall time {@code nowMicros}; live capture calls it when no packet arrives. */
    public void tick(long nowMicros) {
        flows.expire(frames.frames(), frames.advance(nowMicros));
    }

    @Override
    public long frames() {
        return frames.frames();
    }

    @Override
    public long bytes() {
        return frames.bytes();
    }

    /** Frames decoded to a TCP, UDP or ICMP packet. */
    public long decoded() {
        return flows.decoded();
    }

    @Override
    public long flowsCreated() {
        return flows.flows().created();
    }

    @Override
    public long anomalyCount(Anomaly anomaly) {
        return frames.decoder().anomalyCount(anomaly);
    }

    /** The flow table (counters, configuration). */
    public FlowTable flows() {
        return flows.flows();
    }

    /** The decoder (anomaly counters). */
    public PacketDecoder decoder() {
        return frames.decoder();
    }

    @Override
    public Map<String, Long> weirdCounts() {
        return weirds.snapshot();
    }
}
