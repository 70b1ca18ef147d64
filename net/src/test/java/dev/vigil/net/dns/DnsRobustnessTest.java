package dev.vigil.net.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import dev.vigil.net.app.Robustness;
import dev.vigil.testkit.Mutations;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random and mutated DNS over UDP and TCP: no exception escapes, records stay within what was fed. */
class DnsRobustnessTest {

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    private static final List<List<Chunk>> UDP = List.of(
            List.of(new Chunk(Direction.ORIG, DnsAnalyzerTest.query(1, "www.example.com", 1), 1),
                    new Chunk(Direction.RESP, DnsAnalyzerTest.aResponse(1), 2)),
            List.of(new Chunk(Direction.ORIG, DnsAnalyzerTest.aResponse(2), 1)));

    private static final List<List<Chunk>> TCP = List.of(
            List.of(new Chunk(Direction.ORIG, DnsWire.tcp(DnsAnalyzerTest.query(1, "www.example.com", 1)), 1),
                    new Chunk(Direction.RESP, DnsWire.tcp(DnsAnalyzerTest.aResponse(1)), 2)));

    @ParameterizedTest
    @MethodSource("seeds")
    void udpNeverThrows(long seed) {
        Robustness.Outcome o = Robustness.run(seed, ctx -> DnsProtocol.overUdp().create(ctx),
                RecordingContext.udp(53), UDP);
        assertThat(o.context().records.size()).as("seed %d", seed).isLessThanOrEqualTo(o.chunks());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tcpNeverThrows(long seed) {
        Robustness.Outcome o = Robustness.run(seed, ctx -> DnsProtocol.overTcp().create(ctx),
                RecordingContext.tcp(53), TCP);
        assertThat(o.context().records.size()).as("seed %d", seed).isLessThanOrEqualTo(o.chunks());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void probesNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = random.nextBoolean() ? Mutations.randomBytes(random, random.nextInt(80))
                : Mutations.mutate(random, DnsAnalyzerTest.aResponse(3));
        for (AppProtocol p : List.of(DnsProtocol.overUdp(), DnsProtocol.overTcp())) {
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 53)).as("seed %d", seed).isNotNull();
        }
    }
}
