package dev.vigil.net.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding a line end in a payload the way HTTP, SMTP, Redis and PostgreSQL parsers do, with
 * {@link Bytes#indexOf} (a word per access) against a byte per access; the LF is the last byte of
 * {@code length}. Run with {@code -jvmArgsAppend -XX:TieredStopAtLevel=1} for what {@code pcap analyze} runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ByteScanBenchmark {

    @Param({"40", "1400"})
    public int length;

    private Arena arena;
    private MemorySegment payload;

    @Setup
    public void setup() {
        arena = Arena.ofConfined();
        payload = arena.allocate(length);
        payload.fill((byte) 'a');
        payload.set(ValueLayout.JAVA_BYTE, length - 1, (byte) '\n');
    }

    @TearDown
    public void close() {
        arena.close();
    }

    @Benchmark
    public long wordAtATime() {
        return Bytes.indexOf(payload, 0, length, '\n');
    }

    @Benchmark
    public long byteAtATime() {
        for (long i = 0; i < length; i++) {
            if (payload.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
