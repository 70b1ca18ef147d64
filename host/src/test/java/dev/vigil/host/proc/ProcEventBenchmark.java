package dev.vigil.host.proc;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.linux.Native;
import dev.vigil.model.identity.IdentityResolver;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-event costs of the process sensor: decoding a datagram of connector messages (allocation
 * free), parsing {@code stat}/{@code status}/{@code cgroup} content, and enriching an exec from the
 * real {@code /proc} of a live process (this JVM) — the work done for every execve.
 * Run: {@code bench/jmh.sh host ProcEventBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ProcEventBenchmark {

    private final ProcEventDecoder decoder = new ProcEventDecoder();
    private MemorySegment datagram;
    private int length;
    private byte[] stat;
    private byte[] status;
    private byte[] cgroup;
    private Native sys;
    private ProcessReader reader;
    private final int self = (int) ProcessHandle.current().pid();

    @Setup
    public void setup() {
        byte[] m = ProcEventDecoderTest.concat(
                ProcEventDecoderTest.message(ProcEvent.FORK, 0, 0, 1, 10, 10, 11, 11),
                ProcEventDecoderTest.message(ProcEvent.EXEC, 0, 1, 2, 11, 11),
                ProcEventDecoderTest.message(ProcEvent.EXIT, 0, 2, 3, 11, 11, 0, 17, 10, 10));
        datagram = MemorySegment.ofArray(m);
        length = m.length;
        stat = ProcParsersTest.STAT.getBytes();
        status = ProcParsersTest.STATUS.getBytes();
        cgroup = ("4:memory:/kubepods/besteffort/pod9b0e/" + "a".repeat(64) + "\n0::/kubepods/besteffort/pod9b0e/"
                + "a".repeat(64) + "\n").getBytes();
        sys = new Native();
        reader = new ProcessReader(sys, new ContainerCatalog(IdentityResolver.NONE));
    }

    @TearDown
    public void tearDown() {
        sys.release();
    }

    @Benchmark
    public int decodeDatagramOfThreeEvents(Blackhole bh) {
        return decoder.decode(datagram, length, bh::consume);
    }

    @Benchmark
    public Object parseStat() {
        return ProcParsers.stat(stat, stat.length);
    }

    @Benchmark
    public Object parseStatus() {
        return ProcParsers.status(status, status.length);
    }

    @Benchmark
    public Object parseCgroup() {
        return dev.vigil.host.container.CgroupContainer.parse(cgroup, cgroup.length);
    }

    @Benchmark
    public Object enrichExecFromProc() {
        List<String> names = new ArrayList<>(1);
        names.add("java");
        return reader.observe(self, names, new long[] {1});
    }
}
