package dev.vigil.net.app;

import dev.vigil.testkit.Mutations;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Feeds analyzers random and mutated conversations, cut at random offsets, as the property tests of
 * every parser do: nothing may escape the analyzer, whatever the bytes. A failure names the seed.
 */
public final class Robustness {

    private Robustness() {
    }

    /** What one run produced, for the caller's bounds checks. */
    public record Outcome(RecordingContext context, int chunks) {
    }

    /**
     * One run for {@code seed}: a valid conversation from {@code samples}, each chunk mutated with
     * probability one half (or, one time in eight, replaced by random bytes), fed in random pieces.
     */
    public static Outcome run(long seed, Function<RecordingContext, AppAnalyzer> create, RecordingContext ctx,
            List<List<Feed.Chunk>> samples) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Feed.Chunk> base = samples.get(random.nextInt(samples.size()));
        List<Feed.Chunk> chunks = new ArrayList<>();
        for (Feed.Chunk c : base) {
            byte[] b = c.bytes();
            int roll = random.nextInt(8);
            if (roll == 0) {
                b = Mutations.randomBytes(random, 1 + random.nextInt(300));
            } else if (roll < 4) {
                b = Mutations.mutate(random, b);
            }
            chunks.add(new Feed.Chunk(c.direction(), b, c.tsMicros()));
        }
        try {
            AppAnalyzer analyzer = create.apply(ctx);
            int calls = 0;
            for (Feed.Chunk c : chunks) {
                int at = 0;
                while (at < c.bytes().length) {
                    int n = 1 + random.nextInt(Math.max(1, c.bytes().length - at));
                    if (random.nextInt(10) == 0) {
                        analyzer.gap(c.direction(), 1 + random.nextInt(100));
                    }
                    Feed.call(analyzer, c.direction(), c.bytes(), at, n, c.tsMicros());
                    at += n;
                    calls++;
                }
            }
            analyzer.end(Long.MAX_VALUE / 2);
            return new Outcome(ctx, calls);
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": " + t, t);
        }
    }
}
