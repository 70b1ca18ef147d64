package dev.vigil.net.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Base of the per-protocol JMH benchmarks: one operation runs a fresh analyzer over a whole
 * transcript held in off-heap segments (as captured packets are), so the score is the cost of one
 * connection and {@code -prof gc} shows what it allocates. Subclasses name the protocol and the
 * transcript.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class TranscriptBenchmark {

    /** The endpoints benchmark connections claim. */
    protected static final dev.vigil.model.net.ConnId BENCH_ID =
            new dev.vigil.model.net.ConnId("10.0.0.1", 40000, "10.0.0.2", 9999, "tcp");

    private Direction[] directions;
    private MemorySegment[] payloads;
    private AppProtocol protocol;

    protected abstract AppProtocol protocol();

    protected abstract Transcript transcript();

    @Setup
    public void load() {
        protocol = protocol();
        List<Transcript.Segment> segments = transcript().segments();
        directions = new Direction[segments.size()];
        payloads = new MemorySegment[segments.size()];
        Arena arena = Arena.ofAuto();
        for (int i = 0; i < segments.size(); i++) {
            directions[i] = segments.get(i).direction();
            byte[] b = segments.get(i).bytes();
            payloads[i] = arena.allocate(Math.max(1, b.length));
            payloads[i].copyFrom(MemorySegment.ofArray(b));
        }
    }

    /** As many copies of {@code message} as fit in {@code maxBytes}, off-heap: one segment of a bulk stream. */
    protected static MemorySegment repeated(byte[] message, int maxBytes) {
        int copies = Math.max(1, maxBytes / message.length);
        MemorySegment segment = Arena.ofAuto().allocate((long) copies * message.length);
        for (int i = 0; i < copies; i++) {
            MemorySegment.copy(MemorySegment.ofArray(message), 0, segment, (long) i * message.length, message.length);
        }
        return segment;
    }

    /** Feeds a whole message to an analyzer during setup. */
    protected static void feed(AppAnalyzer analyzer, Direction direction, byte[] bytes) {
        analyzer.data(direction, MemorySegment.ofArray(bytes), 0, bytes.length, 1);
    }

    /** Total payload bytes of the transcript, to turn ns/op into a byte rate. */
    protected long bytes() {
        long n = 0;
        for (MemorySegment p : payloads) {
            n += p.byteSize();
        }
        return n;
    }

    @Benchmark
    public long connection() {
        CountingContext context = new CountingContext(BENCH_ID);
        AppAnalyzer analyzer = protocol.create(context);
        for (int i = 0; i < payloads.length; i++) {
            analyzer.data(directions[i], payloads[i], 0, (int) payloads[i].byteSize(), i);
        }
        analyzer.end(payloads.length);
        return context.records + context.anomalies;
    }
}
