package dev.vigil.net.flow;

import dev.vigil.net.decode.Packet;
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

/**
 * The Community ID every conn record carries, for an IPv4 and an IPv6 flow: hash, base64 and the
 * String (one per flow); run with {@code -jvmArgsAppend -XX:TieredStopAtLevel=1} for what
 * {@code pcap analyze} runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommunityIdBenchmark {

    private final CommunityId ids = new CommunityId(0);
    private int port = 40_000;

    @Benchmark
    public String ipv4() {
        port = port == 65_535 ? 40_000 : port + 1;
        return ids.of(Packet.TCP, 0, 0xffff_0af4_0105L, port, 0, 0xffff_0af4_010aL, 443);
    }

    @Benchmark
    public String ipv6() {
        port = port == 65_535 ? 40_000 : port + 1;
        return ids.of(Packet.TCP, 0xfd00_0010_0244_0001L, 0x5L, port, 0xfd00_0010_0244_0001L, 0xaL, 443);
    }
}
