package dev.vigil.net.http;

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
 * HTTP/1.x on one keep-alive connection: a whole transaction (a browser-like GET of 420 bytes and a
 * response with 1 KiB of body, then one {@code http} record built), and the per-segment body path
 * alone (1,460-byte segments of a long body; allocation-free).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpBenchmark {

    static final String REQUEST = "GET /products/list?page=2&sort=price HTTP/1.1\r\nHost: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
            + "Referer: http://shop.example.com/products\r\nConnection: keep-alive\r\n"
            + "Cookie: session=0123456789abcdef0123456789abcdef\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
            + "Content-Type: text/html; charset=utf-8\r\nContent-Length: 1024\r\nConnection: keep-alive\r\n"
            + "Cache-Control: no-cache\r\n\r\n" + "x".repeat(1024);

    private AppAnalyzer transactions;
    private AppAnalyzer bodies;
    private CountingContext ctx;
    private MemorySegment request;
    private MemorySegment response;
    private MemorySegment segment;
    private long ts;


    @Setup
    public void setup() {
        ctx = new CountingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", 80, "tcp"));
        transactions = new HttpProtocol().create(ctx);
        request = Feed.nativeCopy(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
        response = Feed.nativeCopy(RESPONSE.getBytes(StandardCharsets.ISO_8859_1));
        bodies = new HttpProtocol().create(new CountingContext(ctx.id()));
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        bodies.data(Direction.RESP, Feed.nativeCopy(head), 0, head.length, 0);
        segment = Feed.nativeCopy(new byte[1460]);
    }

    @Benchmark
    public long transaction() {
        transactions.data(Direction.ORIG, request, 0, (int) request.byteSize(), ts++);
        transactions.data(Direction.RESP, response, 0, (int) response.byteSize(), ts++);
        return ctx.records;
    }

    @Benchmark
    public long bodySegment() {
        bodies.data(Direction.RESP, segment, 0, 1460, ts++);
        return ts;
    }
}
