package dev.vigil.net.analysis;

import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.decode.Anomaly;
import dev.vigil.net.decode.Packet;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.flow.FlowKey;
import dev.vigil.net.pcap.Frame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One capture analyzed by several threads with the results of one {@link Pipeline}: the calling thread
 * reads and decodes every frame (clock, link and IP headers, fragment reassembly) and hands each
 * packet to one of N flow workers by a hash of its flow key that is the same in both directions, so
 * every packet of a connection, reassembled fragments included, meets the same flow table; each worker
 * runs its own flow table, TCP reassembly and analyzers and writes its records to its own sink.
 *
 * <p>What spans flows stays as one pipeline has it. The reader runs the capture's only clock: every
 * packet carries the monotone time of its frame, and expiry ticks go to every worker at the frames
 * where one pipeline would expire, so flows end at the same frames (the tables stay apart; a worker's
 * clock is the reader's). Uids derive from the uid seed and the frame that created the flow, so they
 * are the same however flows are spread. Scan detection is one {@link ScanStage} that observes attempts
 * in one pipeline's order (see there). Anomaly counts and the cap on weird records are shared.
 *
 * <p>What differs: records of different workers interleave in no fixed order (Zeek's logs are written
 * as connections end, not sorted either); {@code --max-flows} and the out-of-order reassembly memory
 * are split evenly over the workers' tables, so a capture that fills them evicts different flows than
 * one table would; beyond {@link PipelineConfig#MAX_WEIRDS_PER_NAME} weirds of a name, which ones are
 * written depends on timing (the counts do not).
 *
 * <p>Hand-over: one {@link PacketRing} per worker (payload copied, no allocation per packet), published
 * in batches; every {@link #PUBLISH_FRAMES} frames all rings are published with the reader's position,
 * which is what lets idle workers report their scan watermark. A failing worker stops the reader
 * (the failure is rethrown from {@link #frame} or {@link #finish}). Limits: {@link #MAX_WORKERS}.
 */
public final class ParallelPipeline implements CaptureAnalysis {

    /** Most workers accepted. */
    public static final int MAX_WORKERS = 64;
    /** Frames between two publications of every ring. */
    static final int PUBLISH_FRAMES = 1024;
    /** Ring entries a worker processes between releasing them and reporting its watermark. */
    static final int RELEASE_BATCH = 64;

    private final PacketRing[] rings;
    private final FlowStage[] stages;
    private final Thread[] threads;
    private final FrameStage frames;
    private final ScanStage scans;
    private final Weirds weirds = new Weirds();
    private final RecordSink sink;
    /** The first failure of any thread (the others' are its consequences: aborted rings). */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int sincePublish;
    private boolean finished;
    private boolean closed;

    /**
     * Starts {@code workers} flow workers.
     *
     * @param sinks gives one record sink per thread (the caller's and each worker's); each is used by
     *              its thread alone
     */
    public ParallelPipeline(PipelineConfig config, AppAnalyzerFactory analyzers, int workers,
                            Supplier<RecordSink> sinks) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers: " + workers + " outside 1.." + MAX_WORKERS);
        }
        FlowConfig flows = config.flows();
        FlowConfig split = flows.withMaxFlows(Math.max(1, (flows.maxFlows() + workers - 1) / workers))
                .withReassemblyBytes(flows.reassemblyBytes() / workers);
        this.scans = config.scan() != null ? new ScanStage(config.scan(), config.identities(), workers) : null;
        this.sink = sinks.get();
        this.rings = new PacketRing[workers];
        this.stages = new FlowStage[workers];
        this.threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            rings[w] = new PacketRing();
            stages[w] = new FlowStage(config, split, workers, analyzers, sinks.get(), weirds, scans);
        }
        this.frames = new FrameStage(new Dispatcher(), scans, weirds, sink);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads[w] = Thread.ofPlatform().name("vigil-flows-" + w).daemon().start(() -> work(worker));
        }
    }

    /**
     * Reads a whole capture file with {@code workers} flow workers and finishes it; {@code sink} must be
     * thread-safe. Tests and tools compare it with {@link Pipeline#analyze}.
     */
    public static ParallelPipeline analyze(Path file, PipelineConfig config, AppAnalyzerFactory analyzers,
                                           int workers, RecordSink sink) throws IOException {
        ParallelPipeline pipeline = new ParallelPipeline(config, analyzers, workers, () -> sink);
        try {
            Pipeline.read(file, pipeline);
        } finally {
            pipeline.close();
        }
        return pipeline;
    }

    /** The worker of a packet: high bits of its direction-independent flow hash (tables index by the low ones). */
    static int worker(Packet p, int workers) {
        return (int) ((Integer.toUnsignedLong(FlowKey.hash(p)) * workers) >>> 32);
    }

    private final class Dispatcher implements PacketStage {
        @Override
        public void expire(long frame, long mono) {
            for (PacketRing ring : rings) {
                ring.putTick(frame, mono);
            }
        }

        @Override
        public void packet(Packet packet, long frame, long mono) {
            rings[worker(packet, rings.length)].putPacket(packet, frame, mono);
        }
    }

    @Override
    public void frame(Frame frame) {
        try {
            frames.frame(frame);
        } catch (IllegalStateException e) {
            rethrow();
            throw e;
        }
        if (++sincePublish == PUBLISH_FRAMES) {
            sincePublish = 0;
            long position = frames.frames();
            for (PacketRing ring : rings) {
                ring.dispatch(position);
            }
            rethrow();
        }
    }

    @Override
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            long mono = frames.mono();
            for (PacketRing ring : rings) {
                ring.putEnd(mono);
            }
        } catch (IllegalStateException e) {
            rethrow();
            throw e;
        } finally {
            join();
        }
        rethrow();
        if (scans != null) {
            scans.drain(sink);
        }
    }

    /** Stops the workers if still running (the reader failed before {@link #finish}) and frees the rings. */
    @Override
    public void close() {
        if (!finished) {
            failure.compareAndSet(null, new IllegalStateException("analysis abandoned"));
            for (PacketRing ring : rings) {
                ring.abort();
            }
            join();
        }
        if (!closed) {
            closed = true;
            for (PacketRing ring : rings) {
                ring.close();
            }
        }
    }

    private void join() {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrow() {
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private void work(int worker) {
        PacketRing ring = rings[worker];
        FlowStage stage = stages[worker];
        RecordSink out = stage.sink();
        Packet packet = new Packet();
        long head = 0;
        try {
            while (true) {
                long dispatched = ring.dispatched();
                long tail = ring.published();
                if (tail == head) {
                    ring.release(head);
                    if (scans != null) {
                        scans.advance(worker, dispatched, out);
                    }
                    tail = ring.await(head);
                }
                for (; head < tail; head++) {
                    long frame = ring.frame(head);
                    switch (ring.kind(head)) {
                        case PacketRing.PACKET -> {
                            ring.fill(head, packet);
                            stage.packet(packet, frame, ring.mono(head));
                        }
                        case PacketRing.TICK -> stage.expire(frame, ring.mono(head));
                        default -> {
                            stage.finish(ring.mono(head));
                            ring.release(head + 1);
                            return;
                        }
                    }
                    if ((head & (RELEASE_BATCH - 1)) == RELEASE_BATCH - 1) {
                        ring.release(head + 1);
                        if (scans != null && scans.waiting()) {
                            scans.advance(worker, frame, out);
                        }
                    }
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            for (PacketRing r : rings) {
                r.abort();
            }
        }
    }

    @Override
    public long frames() {
        return frames.frames();
    }

    @Override
    public long bytes() {
        return frames.bytes();
    }

    /** Flow workers. */
    public int workers() {
        return threads.length;
    }

    @Override
    public long flowsCreated() {
        long n = 0;
        for (FlowStage s : stages) {
            n += s.flows().created();
        }
        return n;
    }

    @Override
    public long anomalyCount(Anomaly anomaly) {
        return frames.decoder().anomalyCount(anomaly);
    }

    @Override
    public Map<String, Long> weirdCounts() {
        return weirds.snapshot();
    }
}
