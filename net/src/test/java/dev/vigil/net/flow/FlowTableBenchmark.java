package dev.vigil.net.flow;

import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.TestFrames;
import dev.vigil.net.pcap.Frame;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet of an established connection through decode, flow lookup, Zeek's TCP state machine and
 * in-order reassembly, cycling over {@code flows} live connections; allocation-free per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowTableBenchmark {

    private static final java.lang.foreign.ValueLayout.OfInt SEQ =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    @Param({"1000", "100000"})
    public int flows;

    private Pipeline pipeline;
    private Frame[] frames;
    private int[] seqs;
    private int next;
    private long ts = 1_700_000_000_000_000L;

    @Setup
    public void setup() {
        pipeline = new Pipeline(PipelineConfig.defaults(), null, record -> { });
        frames = new Frame[flows];
        seqs = new int[flows];
        for (int i = 0; i < flows; i++) {
            String client = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            pipeline.frame(TestFrames.tcpFrame(client, 40000, "10.200.0.1", 443, 100, 0, TestFrames.SYN, new byte[0], ts));
            pipeline.frame(TestFrames.tcpFrame("10.200.0.1", 443, client, 40000, 900, 101,
                    TestFrames.SYN | TestFrames.ACK, new byte[0], ts));
            frames[i] = TestFrames.tcpFrame(client, 40000, "10.200.0.1", 443, 101, 901, TestFrames.ACK, new byte[100], ts);
            seqs[i] = 101;
        }
    }

    @Benchmark
    public long dataPacket() {
        int i = next;
        next = i + 1 == flows ? 0 : i + 1;
        Frame f = frames[i];
        int seq = seqs[i];
        f.data.set(SEQ, 14 + 20 + 4, seq);
        seqs[i] = seq + 100;
        f.tsMicros = ts++;
        pipeline.frame(f);
        return pipeline.frames();
    }
}
