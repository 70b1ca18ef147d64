package dev.vigil.host.syscall;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing one trace_pipe line (allocation free). Run: {@code bench/jmh.sh host TraceLineBenchmark -prof gc}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceLineBenchmark {

    private final TraceLineParser parser = new TraceLineParser();
    private final TraceRecord record = new TraceRecord();
    private final byte[] enter = TraceLineParserTest.ENTER.getBytes(StandardCharsets.UTF_8);
    private final byte[] exit = TraceLineParserTest.EXIT.getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public boolean parseEnterLine() {
        return parser.parse(enter, 0, enter.length, record);
    }

    @Benchmark
    public boolean parseExitLine() {
        return parser.parse(exit, 0, exit.length, record);
    }
}
