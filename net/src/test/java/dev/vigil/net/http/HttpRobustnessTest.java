package dev.vigil.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.RecordingContext;
import dev.vigil.net.app.Robustness;
import dev.vigil.testkit.Mutations;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random and mutated HTTP/1.x conversations: no exception escapes, one record per request at most. */
class HttpRobustnessTest {

    static LongStream seeds() {
        return LongStream.range(0, 500);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void analyzerNeverThrows(long seed) {
        Robustness.Outcome o = Robustness.run(seed, ctx -> new HttpProtocol().create(ctx), RecordingContext.tcp(80),
                List.of(HttpAnalyzerTest.PIPELINED));
        assertThat(o.context().records.size()).as("seed %d", seed).isLessThanOrEqualTo(o.chunks() * 40 + 10);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void probeNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = random.nextBoolean() ? Mutations.randomBytes(random, random.nextInt(100))
                : Mutations.mutate(random, HttpAnalyzerTest.PIPELINED.getFirst().bytes());
        AppProtocol p = new HttpProtocol();
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 80)).isNotNull();
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(b), 0, b.length, 80)).isNotNull();
    }
}
