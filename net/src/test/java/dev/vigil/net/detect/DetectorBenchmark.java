package dev.vigil.net.detect;

import dev.vigil.model.net.ConnId;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
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
 * Protocol detection: a new connection identified from its first segment (HTTP request, then the
 * response, then its end), one whose bytes no protocol claims (probed, given up), and a data segment
 * forwarded after detection (allocation-free).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DetectorBenchmark {

    private final ProtocolDetector detector = new ProtocolDetector();
    private CountingContext ctx;
    private MemorySegment request;
    private MemorySegment response;
    private MemorySegment unknown;
    private MemorySegment segment;
    private AppAnalyzer established;
    private long ts;


    @Setup
    public void setup() {
        ctx = new CountingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", 8080, "tcp"));
        request = Feed.nativeCopy("GET /healthz HTTP/1.1\r\nHost: api:8080\r\nUser-Agent: kube-probe/1.30\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        response = Feed.nativeCopy("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        byte[] noise = new byte[200];
        new java.util.SplittableRandom(7).nextBytes(noise);
        noise[0] = (byte) 0xfe;
        unknown = Feed.nativeCopy(noise);
        established = detector.create(ctx);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        established.data(Direction.RESP, Feed.nativeCopy(head), 0, head.length, 0);
        segment = Feed.nativeCopy(new byte[1460]);
    }

    @Benchmark
    public long httpConnection() {
        AppAnalyzer a = detector.create(ctx);
        a.data(Direction.ORIG, request, 0, (int) request.byteSize(), ts++);
        a.data(Direction.RESP, response, 0, (int) response.byteSize(), ts++);
        a.end(ts);
        return ctx.records;
    }

    @Benchmark
    public long unknownConnection() {
        AppAnalyzer a = detector.create(ctx);
        a.data(Direction.ORIG, unknown, 0, (int) unknown.byteSize(), ts++);
        a.end(ts);
        return ctx.services;
    }

    @Benchmark
    public long forwardedSegment() {
        established.data(Direction.RESP, segment, 0, 1460, ts++);
        return ts;
    }
}
