package dev.vigil.net.http2;

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

/** Random and mutated HTTP/2 conversations and HPACK blocks: no exception escapes, state stays bounded. */
class Http2RobustnessTest {

    private static final List<List<dev.vigil.net.app.Feed.Chunk>> SAMPLES = List.of(Http2AnalyzerTest.conversation());

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void analyzerNeverThrows(long seed) {
        Robustness.Outcome o = Robustness.run(seed, ctx -> new Http2Protocol().create(ctx), RecordingContext.tcp(80),
                SAMPLES);
        assertThat(o.context().records.size()).as("seed %d", seed).isLessThanOrEqualTo(Http2Analyzer.MAX_STREAMS * 4);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hpackNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = new JdkHpack(4096).block(":method", "GET", ":path", "/x", "user-agent", "a", "cookie", "c=d");
        byte[] b = random.nextBoolean() ? Mutations.randomBytes(random, random.nextInt(64)) : Mutations.mutate(random, valid);
        HpackDecoder d = new HpackDecoder(random.nextBoolean());
        d.decode(b, 0, b.length, (bytes, n, nl, v, vl) -> { });
        d.decode(valid, 0, valid.length, (bytes, n, nl, v, vl) -> { });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void probeNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = Mutations.mutate(random, SAMPLES.getFirst().getFirst().bytes());
        AppProtocol p = new Http2Protocol();
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 80)).isNotNull();
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(b), 0, b.length, 80)).isNotNull();
    }
}
