package dev.vigil.net.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.Http2Record;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class Http2AnalyzerTest {

    static final int END_STREAM = Http2Analyzer.END_STREAM;

    static RecordingContext run(List<Chunk> chunks) {
        return run(a -> Feed.whole(a, chunks));
    }

    static RecordingContext run(Consumer<AppAnalyzer> feed) {
        return Feed.run(new Http2Protocol(), RecordingContext.tcp(8080), feed);
    }

    /** A prior-knowledge conversation: a GET, and a gRPC call with trailers, one of them padded and continued. */
    static List<Chunk> conversation() {
        JdkHpack client = new JdkHpack(4096);
        JdkHpack server = new JdkHpack(4096);
        byte[] get = client.block(":method", "GET", ":scheme", "http", ":path", "/index.html", ":authority",
                "example.com", "user-agent", "curl/8.5");
        byte[] call = client.block(":method", "POST", ":scheme", "http", ":path", "/helloworld.Greeter/SayHello",
                ":authority", "example.com", "content-type", "application/grpc", "user-agent", "grpc-go/1.60",
                "te", "trailers");
        byte[] ok = server.block(":status", "200", "content-type", "text/html");
        byte[] grpcOk = server.block(":status", "200", "content-type", "application/grpc+proto");
        byte[] trailers = server.block("grpc-status", "0", "grpc-message", "fine");
        byte[] paddedCall = new byte[1 + 5 + call.length + 3];
        paddedCall[0] = 3;
        System.arraycopy(call, 0, paddedCall, 6, call.length);
        int half = call.length / 2;
        byte[] first = Arrays.copyOfRange(paddedCall, 0, 6 + half);
        byte[] firstPadded = new byte[first.length + 3];
        System.arraycopy(first, 0, firstPadded, 0, first.length);
        byte[] rest = Arrays.copyOfRange(call, half, call.length);
        return List.of(
                new Chunk(Direction.ORIG, H2.start().preface().settings(1, 4096, 4, 65535)
                        .headers(1, END_STREAM, get).build(), 1_000_000),
                new Chunk(Direction.RESP, H2.start().settings(3, 100).frame(4, 1, 0, new byte[0])
                        .headers(1, 0, ok).data(1, 0, "hello ").data(1, END_STREAM, "world").build(), 1_100_000),
                new Chunk(Direction.ORIG, H2.start()
                        .frame(1, 0x8 | 0x20, 3, firstPadded)
                        .frame(9, 0, 3, Arrays.copyOfRange(rest, 0, rest.length / 2))
                        .frame(9, Http2Analyzer.END_HEADERS, 3, Arrays.copyOfRange(rest, rest.length / 2, rest.length))
                        .frame(0, 0x8 | END_STREAM, 3, new byte[] {2, 0, 0, 0, 0, 5, 'h', 'i', 0, 0})
                        .build(), 1_200_000),
                new Chunk(Direction.RESP, H2.start().headers(3, 0, grpcOk).data(3, 0, "\0\0\0\0\3abc")
                        .headers(3, END_STREAM, trailers).frame(7, 0, 0, new byte[8]).build(), 1_300_000));
    }

    @Test
    void streamsBecomeRecordsWithGrpcFields() {
        RecordingContext ctx = run(conversation());
        assertThat(ctx.anomalies).isEmpty();
        assertThat(ctx.encrypted).isFalse();
        assertThat(ctx.json()).containsExactly(
                "{\"log\":\"http2\",\"ts\":1.000000,\"uid\":\"CtestUid1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":8080,\"proto\":\"tcp\",\"stream_id\":1,"
                        + "\"method\":\"GET\",\"authority\":\"example.com\",\"path\":\"/index.html\",\"status\":200,"
                        + "\"content_type\":\"text/html\",\"user_agent\":\"curl/8.5\",\"request_body_len\":0,"
                        + "\"response_body_len\":11}",
                "{\"log\":\"http2\",\"ts\":1.200000,\"uid\":\"CtestUid1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
                        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":8080,\"proto\":\"tcp\",\"stream_id\":3,"
                        + "\"method\":\"POST\",\"authority\":\"example.com\",\"path\":\"/helloworld.Greeter/SayHello\","
                        + "\"status\":200,\"content_type\":\"application/grpc+proto\",\"user_agent\":\"grpc-go/1.60\","
                        + "\"request_body_len\":7,\"response_body_len\":8,\"grpc_service\":\"helloworld.Greeter\","
                        + "\"grpc_method\":\"SayHello\",\"grpc_status\":0,\"grpc_message\":\"fine\"}");
    }

    @Test
    void sameRecordsWhateverTheSegmentation() {
        List<Chunk> chunks = conversation();
        List<String> whole = run(chunks).json();
        assertThat(run(a -> Feed.pieces(a, chunks, 1)).json()).isEqualTo(whole);
        for (int[] cut : Feed.everyCut(chunks)) {
            assertThat(run(a -> Feed.splitAt(a, chunks, cut[0], cut[1])).json()).as("cut %s", cut).isEqualTo(whole);
        }
    }

    @Test
    void resetStreamIsLoggedAndLateFramesOnItAreIgnored() {
        JdkHpack client = new JdkHpack(4096);
        RecordingContext ctx = run(List.of(
                new Chunk(Direction.ORIG, H2.start().preface().headers(1, 0, client.block(":method", "GET", ":path", "/big"))
                        .frame(3, 0, 1, new byte[] {0, 0, 0, 8}).build(), 1),
                new Chunk(Direction.RESP, H2.start().data(1, END_STREAM, "late").build(), 2)));
        assertThat(ctx.records(Http2Record.class)).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/big");
            assertThat(r.status()).isNull();
            assertThat(r.responseBodyLen()).isZero();
        });
    }

    @Test
    void trailersOnlyGrpcErrorAndPushPromise() {
        JdkHpack client = new JdkHpack(4096);
        JdkHpack server = new JdkHpack(4096);
        byte[] call = client.block(":method", "POST", ":path", "/pkg.Svc/Get", "content-type", "application/grpc");
        byte[] error = server.block(":status", "200", "content-type", "application/grpc", "grpc-status", "12",
                "grpc-message", "unimplemented");
        byte[] promise = server.block(":method", "GET", ":path", "/style.css", ":authority", "example.com");
        byte[] pushed = server.block(":status", "200");
        byte[] promisePayload = new byte[4 + promise.length];
        promisePayload[3] = 2;
        System.arraycopy(promise, 0, promisePayload, 4, promise.length);
        RecordingContext ctx = run(List.of(
                new Chunk(Direction.ORIG, H2.start().preface().headers(1, END_STREAM, call).build(), 1),
                new Chunk(Direction.RESP, H2.start().frame(5, Http2Analyzer.END_HEADERS, 1, promisePayload)
                        .headers(1, END_STREAM, error).headers(2, 0, pushed).data(2, END_STREAM, "css").build(), 2)));
        List<Http2Record> rs = ctx.records(Http2Record.class);
        assertThat(rs).extracting(Http2Record::streamId).containsExactly(1L, 2L);
        assertThat(rs.get(0).grpcStatus()).isEqualTo(12);
        assertThat(rs.get(0).grpcMessage()).isEqualTo("unimplemented");
        assertThat(rs.get(0).grpcService()).isEqualTo("pkg.Svc");
        assertThat(rs.get(1).path()).isEqualTo("/style.css");
        assertThat(rs.get(1).responseBodyLen()).isEqualTo(3);
    }

    @Test
    void midstreamPickupDecodesWhatItCanAndSaysWhatItCannot() {
        JdkHpack client = new JdkHpack(4096);
        client.block(":method", "GET", ":path", "/before", ":authority", "old.example", "user-agent", "ua/1");
        byte[] later = client.block(":method", "GET", ":path", "/after", ":authority", "old.example", "user-agent", "ua/1");
        RecordingContext ctx = run(List.of(new Chunk(Direction.ORIG, H2.start().headers(5, END_STREAM, later).build(), 1),
                new Chunk(Direction.RESP, H2.start().headers(5, END_STREAM, new JdkHpack(4096).block(":status", "204"))
                        .build(), 2)));
        assertThat(ctx.anomalyNames()).as(ctx.json().toString()).containsExactly("http2_hpack_unknown_index");
        Http2Record r = ctx.records(Http2Record.class).getFirst();
        assertThat(r.path()).isEqualTo("/after");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.status()).isEqualTo(204);
    }

    @Test
    void frameErrorsAreAnomalies() {
        byte[] headers = new JdkHpack(4096).block(":method", "GET");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().frame(1, 0, 1, headers)
                .data(1, 0, "x").build(), 1))).anomalies)
                .containsExactly("http2_expected_continuation: frame type 0 on stream 1 inside a header block of stream 1");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().frame(9, 4, 1, headers).build(), 1)))
                .anomalyNames()).containsExactly("http2_expected_continuation");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().headers(0, 0, headers).build(), 1)))
                .anomalies).containsExactly("http2_bad_stream_id: HEADERS on stream 0");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().frame(4, 0, 0, new byte[5]).build(), 1)))
                .anomalies).containsExactly("http2_bad_settings: SETTINGS of 5 bytes on stream 0");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().frame(1, 0x8 | 4, 1, new byte[] {9, 1})
                .build(), 1))).anomalyNames()).containsExactly("http2_bad_padding");
        assertThat(run(List.of(new Chunk(Direction.ORIG, H2.start().preface().headers(1, 0, new byte[] {(byte) 0xbe})
                .build(), 1))).anomalies).containsExactly("hpack_bad_index: index 62 beyond the 0 dynamic entries (stream 1)");
    }
}
