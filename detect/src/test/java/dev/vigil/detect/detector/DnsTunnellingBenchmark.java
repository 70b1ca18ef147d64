package dev.vigil.detect.detector;

import java.util.SplittableRandom;
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

/**
 * One DNS query through tunnel detection (registered domain, pair lookup, unique-subdomain set,
 * entropy), cycling over 1,000 pods × everyday names and an iodine-style tunnel. Run with
 * {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DnsTunnellingBenchmark {

    private DnsTunnelling dns;
    private String[] pods;
    private String[] names;
    private long now = 1_764_000_000_000_000_000L;
    private int next;

    @Setup
    public void setup() {
        dns = new DnsTunnelling(DnsTunnelConfig.defaults());
        pods = new String[1000];
        for (int i = 0; i < pods.length; i++) {
            pods[i] = "web-" + i;
        }
        SplittableRandom random = new SplittableRandom(7);
        names = new String[16];
        String[] everyday = {"api.github.com", "www.google.com", "s3.us-east-1.amazonaws.com", "fonts.googleapis.com",
                "registry-1.docker.io", "ocsp.digicert.com", "sentry.io", "o123.ingest.sentry.io"};
        for (int i = 0; i < names.length; i++) {
            names[i] = i < everyday.length ? everyday[i] : DnsTunnellingTest.tunnelQuery(random, "t.evil.example");
        }
    }

    @Benchmark
    public DnsTunnelling.Finding query() {
        int i = next++;
        now += 1_000_000L;
        return dns.query("shop", pods[i % pods.length], names[i & 15], 1, now);
    }
}
