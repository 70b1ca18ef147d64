package dev.vigil.net.http2;

import dev.vigil.model.net.ConnId;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * HTTP/2: a gRPC call on a warm connection (request HEADERS and DATA, response HEADERS, DATA and
 * trailers, HPACK from the dynamic table, one {@code http2} record), a DATA frame alone
 * (allocation-free), and HPACK decoding of a browser request block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.net.http/jdk.internal.net.http.hpack=ALL-UNNAMED")
public class Http2Benchmark {

    private CountingContext ctx;
    private AppAnalyzer analyzer;
    private MemorySegment request;
    private MemorySegment response;
    private MemorySegment data;
    private int[] requestStreamAt;
    private int[] responseStreamAt;
    private int stream = 1;
    private long ts;
    private HpackDecoder hpack;
    private byte[] block;


    @Setup
    public void setup() {
        ctx = new CountingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", 50051, "tcp"));
        analyzer = new Http2Protocol().create(ctx);
        JdkHpack client = new JdkHpack(4096);
        JdkHpack server = new JdkHpack(4096);
        String[] call = {":method", "POST", ":scheme", "http", ":path", "/inventory.v1.Stock/Get", ":authority",
            "stock.svc.cluster.local:50051", "content-type", "application/grpc", "user-agent", "grpc-java-netty/1.60.0",
            "te", "trailers", "grpc-timeout", "999m"};
        byte[] warmRequest = client.block(call);
        byte[] warmResponse = server.block(":status", "200", "content-type", "application/grpc");
        byte[] warmTrailers = server.block("grpc-status", "0");
        byte[] start = H2.start().preface().settings(4, 65535).headers(1, 0, warmRequest)
                .data(1, Http2Analyzer.END_STREAM, "\0\0\0\0\4abcd").build();
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(start), 0, start.length, 0);
        byte[] startResponse = H2.start().settings().headers(1, 0, warmResponse).data(1, 0, "\0\0\0\0\2ok")
                .headers(1, Http2Analyzer.END_STREAM, warmTrailers).build();
        analyzer.data(Direction.RESP, MemorySegment.ofArray(startResponse), 0, startResponse.length, 0);

        byte[] req = H2.start().headers(3, 0, client.block(call)).data(3, Http2Analyzer.END_STREAM, "\0\0\0\0\4abcd").build();
        byte[] resp = H2.start().headers(3, 0, server.block(":status", "200", "content-type", "application/grpc"))
                .data(3, 0, "\0\0\0\0\2ok").headers(3, Http2Analyzer.END_STREAM, server.block("grpc-status", "0")).build();
        request = Feed.nativeCopy(req);
        response = Feed.nativeCopy(resp);
        requestStreamAt = streamIdOffsets(req);
        responseStreamAt = streamIdOffsets(resp);
        stream = 1;
        data = Feed.nativeCopy(H2.start().data(1_000_001, 0, "d".repeat(1400)).build());

        hpack = new HpackDecoder(false);
        JdkHpack browser = new JdkHpack(4096);
        String[] fields = {":method", "GET", ":scheme", "https", ":path", "/assets/app.js", ":authority", "www.example.com",
            "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "accept", "*/*",
            "accept-language", "en-US,en;q=0.5", "accept-encoding", "gzip, deflate, br", "referer",
            "https://www.example.com/", "cookie", "session=0123456789abcdef"};
        byte[] first = browser.block(fields);
        hpack.decode(first, 0, first.length, (b, n, nl, v, vl) -> { });
        block = browser.block(fields);
    }

    private static int[] streamIdOffsets(byte[] frames) {
        java.util.List<Integer> at = new java.util.ArrayList<>();
        for (int p = 0; p < frames.length;) {
            int len = (frames[p] & 0xff) << 16 | (frames[p + 1] & 0xff) << 8 | (frames[p + 2] & 0xff);
            at.add(p + 5);
            p += 9 + len;
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void setStream(MemorySegment frames, int[] at, int id) {
        for (int p : at) {
            frames.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), p, id);
        }
    }

    @Benchmark
    public long grpcCall() {
        stream += 2;
        setStream(request, requestStreamAt, stream);
        setStream(response, responseStreamAt, stream);
        analyzer.data(Direction.ORIG, request, 0, (int) request.byteSize(), ts++);
        analyzer.data(Direction.RESP, response, 0, (int) response.byteSize(), ts++);
        return ctx.records;
    }

    @Benchmark
    public long dataFrame() {
        analyzer.data(Direction.ORIG, data, 0, (int) data.byteSize(), ts++);
        return ts;
    }

    @Benchmark
    public boolean hpackBrowserRequest() {
        return hpack.decode(block, 0, block.length, (b, n, nl, v, vl) -> { });
    }
}
