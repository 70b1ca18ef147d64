package dev.vigil.net.tcp;

import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.infra.Blackhole;

/** TCP reassembly: the in-order zero-copy path (no allocation) and a swapped pair (one buffered copy). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReassemblyBenchmark {

    private final MemorySegment segment = MemorySegment.ofArray(new byte[1460]);
    private TcpStream stream;
    private int seq;
    private Blackhole hole;
    private final StreamConsumer consumer = new StreamConsumer() {
        @Override
        public void data(TcpStream s, MemorySegment bytes, long offset, int length, long tsMicros) {
            hole.consume(length);
        }

        @Override
        public void gap(TcpStream s, long length) {
            hole.consume(length);
        }
    };

    @Setup
    public void setup(Blackhole blackhole) {
        hole = blackhole;
        stream = new TcpStream(new ReassemblyBudget(ReassemblyBudget.DEFAULT_BYTES));
        stream.syn(0);
        seq = 1;
    }

    @Benchmark
    public void inOrder() {
        stream.segment(seq, segment, 0, 1460, 0, consumer);
        seq += 1460;
    }

    @Benchmark
    public void swappedPair() {
        stream.segment(seq + 1460, segment, 0, 1460, 0, consumer);
        stream.segment(seq, segment, 0, 1460, 0, consumer);
        seq += 2920;
    }
}
