package dev.vigil.net.http;

import static dev.vigil.net.app.Feed.Chunk.orig;
import static dev.vigil.net.app.Feed.Chunk.resp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.HttpRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HttpAnalyzerTest {

    static RecordingContext run(List<Chunk> chunks) {
        return run(a -> Feed.whole(a, chunks));
    }

    static RecordingContext run(Consumer<AppAnalyzer> feed) {
        return Feed.run(new HttpProtocol(), RecordingContext.tcp(80), feed);
    }

    static final List<Chunk> PIPELINED = List.of(
            orig("GET /a?x=%27%20or%201=1 HTTP/1.1\r\nHost: www.example.com:8080\r\nUser-Agent: curl/8.0\r\n"
                    + "Referer: http://r.example/\r\n\r\n"
                    + "POST /form HTTP/1.1\r\nHost: www.example.com\r\nTransfer-Encoding: chunked\r\n"
                    + "Authorization: Basic dXNlcjpwYXNz\r\nX-Forwarded-For: 1.2.3.4\r\nOrigin: http://o.example\r\n\r\n"
                    + "5;ext=1\r\nname=\r\n6\r\nvalue!\r\n0\r\nTrailer: x\r\n\r\n"
                    + "HEAD /h HTTP/1.0\r\n\r\n", 1_000_000),
            resp("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                    + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n"
                    + "HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n", 1_500_000),
            orig("GET /close HTTP/1.1\r\n\r\n", 2_000_000),
            resp("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nuntil the end", 2_500_000));

    @Test
    void pipelinedRequestsPairWithResponsesInOrder() {
        RecordingContext ctx = run(PIPELINED);
        assertThat(ctx.anomalies).isEmpty();
        assertThat(ctx.encrypted).isFalse();
        List<String> json = ctx.json();
        assertThat(json).hasSize(4);
        assertThat(json.get(0)).isEqualTo("{\"log\":\"http\",\"ts\":1.000000,\"uid\":\"CtestUid1\","
                + "\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,"
                + "\"proto\":\"tcp\",\"trans_depth\":1,\"method\":\"GET\",\"host\":\"www.example.com:8080\","
                + "\"uri\":\"/a?x=' or 1=1\",\"referrer\":\"http://r.example/\",\"version\":\"1.1\","
                + "\"user_agent\":\"curl/8.0\",\"request_body_len\":0,\"response_body_len\":5,\"status_code\":200,"
                + "\"status_msg\":\"OK\"}");
        List<HttpRecord> rs = ctx.records(HttpRecord.class);
        assertThat(rs.get(0).query()).isEqualTo("x=' or 1=1");
        HttpRecord post = rs.get(1);
        assertThat(post.transDepth()).isEqualTo(2);
        assertThat(post.requestBodyLen()).isEqualTo(11);
        assertThat(post.postBody()).isEqualTo("name=value!");
        assertThat(post.username()).isEqualTo("user");
        assertThat(post.proxied()).containsExactly("X-FORWARDED-FOR -> 1.2.3.4");
        assertThat(post.origin()).isEqualTo("http://o.example");
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(post.infoCode()).isEqualTo(100);
        assertThat(post.infoMsg()).isEqualTo("Continue");
        assertThat(post.responseBodyLen()).isEqualTo(3);
        HttpRecord head = rs.get(2);
        assertThat(head.method()).isEqualTo("HEAD");
        assertThat(head.version()).isEqualTo("1.0");
        assertThat(head.responseBodyLen()).isZero();
        HttpRecord close = rs.get(3);
        assertThat(close.statusCode()).isEqualTo(404);
        assertThat(close.responseBodyLen()).isEqualTo("until the end".length());
    }

    @Test
    void sameRecordsWhateverTheSegmentation() {
        List<String> whole = run(PIPELINED).json();
        assertThat(run(a -> Feed.pieces(a, PIPELINED, 1)).json()).isEqualTo(whole);
        assertThat(run(a -> Feed.pieces(a, PIPELINED, 7)).json()).isEqualTo(whole);
        for (int[] cut : Feed.everyCut(PIPELINED)) {
            assertThat(run(a -> Feed.splitAt(a, PIPELINED, cut[0], cut[1])).json()).as("cut %s", cut).isEqualTo(whole);
        }
    }

    @Test
    void noBodyAfterHead204And304() {
        RecordingContext ctx = run(List.of(orig("HEAD / HTTP/1.1\r\n\r\nGET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", 1),
                resp("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
                        + "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 2)));
        assertThat(ctx.records(HttpRecord.class)).extracting(HttpRecord::statusCode).containsExactly(200, 204, 304);
        assertThat(ctx.records(HttpRecord.class)).extracting(HttpRecord::responseBodyLen).containsOnly(0L);
        assertThat(ctx.anomalies).isEmpty();
    }

    @Test
    void connectSuccessHandsTheTunnelToDetectionWithHeldOriginatorBytes() {
        RecordingContext ctx = run(List.of(
                orig("CONNECT mailin03.sul.t-online.de:25 / HTTP/1.0\r\n\r\n", 1),
                orig("\u0016\u0003\u0001early", 2),
                resp("HTTP/1.0 200 Connection established\r\n\r\n220 smtp ready\r\n", 3),
                orig("EHLO x\r\n", 4)));

        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.method()).isEqualTo("CONNECT");
        assertThat(r.uri()).isEqualTo("mailin03.sul.t-online.de:25 /");
        assertThat(r.version()).isEqualTo("1.0");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.statusMsg()).isEqualTo("Connection established");
        assertThat(ctx.switches).hasSize(1);
        RecordingContext.Tunnel tunnel = (RecordingContext.Tunnel) ctx.switches.getFirst();
        assertThat(tunnel.orig.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0016\u0003\u0001earlyEHLO x\r\n");
        assertThat(tunnel.resp.toString(StandardCharsets.ISO_8859_1)).isEqualTo("220 smtp ready\r\n");
        assertThat(tunnel.ended).isTrue();
    }

    @Test
    void refusedConnectResumesParsingTheHeldRequests() {
        RecordingContext ctx = run(List.of(
                orig("CONNECT secret:443 HTTP/1.1\r\nHost: secret:443\r\n\r\nGET /next HTTP/1.1\r\n\r\n", 1),
                resp("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 4\r\n\r\nnopeHTTP/1.1 200 OK\r\n"
                        + "Content-Length: 0\r\n\r\n", 2)));
        assertThat(ctx.switches).isEmpty();
        assertThat(ctx.records(HttpRecord.class)).extracting(HttpRecord::uri).containsExactly("secret:443", "/next");
        assertThat(ctx.records(HttpRecord.class)).extracting(HttpRecord::statusCode).containsExactly(407, 200);
    }

    @Test
    void upgradeToSomethingElseRestartsDetection() {
        RecordingContext ctx = run(List.of(
                orig("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", 1),
                resp("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi", 2)));
        assertThat(ctx.records(HttpRecord.class).getFirst().statusCode()).isEqualTo(101);
        RecordingContext.Tunnel tunnel = (RecordingContext.Tunnel) ctx.switches.getFirst();
        assertThat(tunnel.resp.toByteArray()).hasSize(4);
        assertThat(ctx.services).isEmpty();
    }

    @Test
    void requestWithoutResponseIsLoggedAtTheEnd() {
        RecordingContext ctx = run(List.of(orig("GET /lonely HTTP/1.1\r\nHost: h\r\n\r\n", 5_000_000)));
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.statusCode()).isNull();
        assertThat(r.ts()).isEqualTo(5.0);
    }

    @Test
    void responseWithoutRequestIsLoggedOnItsOwn() {
        RecordingContext ctx = run(List.of(resp("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 1)));
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.method()).isNull();
        assertThat(r.responseBodyLen()).isEqualTo(2);
    }

    @Test
    void gapInsideABodyIsSkippedElsewhereItStopsTheDirection() {
        RecordingContext ctx = run(a -> {
            Feed.whole(a, List.of(orig("GET / HTTP/1.1\r\n\r\n", 1), resp("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", 2)));
            a.gap(Direction.RESP, 5);
            Feed.whole(a, List.of(resp("cde", 3), orig("GET /2 HTTP/1.1\r\n\r\n", 4),
                    resp("HTTP/1.1 204 No Content\r\n\r\n", 5)));
        });
        assertThat(ctx.records(HttpRecord.class)).extracting(HttpRecord::statusCode).containsExactly(200, 204);
        assertThat(ctx.records(HttpRecord.class).getFirst().responseBodyLen()).isEqualTo(5);
    }

    @Test
    void smugglingSignsAndFramingErrorsAreAnomalies() {
        assertThat(run(List.of(orig("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", 1))).anomalyNames()).containsExactly("http_te_and_cl");
        assertThat(run(List.of(orig("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 1)))
                .anomalies).containsExactly("http_conflicting_content_length: Content-Length 3 then 4");
        assertThat(run(List.of(orig("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 1))).anomalyNames())
                .containsExactly("http_bad_content_length");
        assertThat(run(List.of(orig("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 1))).anomalyNames())
                .containsExactly("http_bad_transfer_encoding");
        assertThat(run(List.of(orig("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1)))
                .anomalyNames()).containsExactly("http_bad_chunk_size");
        assertThat(run(List.of(orig(" / HTTP/1.1\r\n\r\n", 1))).anomalyNames()).containsExactly("http_bad_request_line");
        assertThat(run(List.of(resp("HTTP/1.1 2x0 OK\r\n\r\n", 1))).anomalyNames()).containsExactly("http_bad_status_line");
    }

    @Test
    void gzipBodyLengthIsTheDecodedLengthAsInZeek() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write("x".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        }
        String body = out.toString(StandardCharsets.ISO_8859_1);
        RecordingContext ok = run(List.of(orig("GET / HTTP/1.1\r\n\r\n", 1), resp("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, 2)));
        assertThat(ok.records(HttpRecord.class).getFirst().responseBodyLen()).isEqualTo(5000);
        RecordingContext bad = run(List.of(orig("GET / HTTP/1.1\r\n\r\n", 1), resp("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: 4\r\n\r\nnope", 2)));
        assertThat(bad.anomalies).containsExactly("http_body_decoding_failed: Content-Encoding body does not decode; "
                + "counting wire bytes");
    }

    @Test
    void obsFoldContinuesTheHeader() {
        RecordingContext ctx = run(List.of(orig("GET / HTTP/1.1\r\nUser-Agent: a\r\n  b\r\n\r\n", 1)));
        assertThat(ctx.records(HttpRecord.class).getFirst().userAgent()).isEqualTo("a b");
    }

    @Test
    void undecodableBasicCredentialsAreKeptAsZeekDoes() {
        RecordingContext ctx = run(List.of(orig("GET / HTTP/1.1\r\nAuthorization: Basic !!!\r\n\r\n", 1)));
        assertThat(ctx.records(HttpRecord.class).getFirst().username()).isEqualTo("<problem-decoding> (!!!)");
    }

    @Test
    void invalidUtf8InFieldsIsEscapedAsZeekDoes() {
        RecordingContext ctx = run(List.of(orig("GET /caf\u00e9%ff HTTP/1.1\r\n\r\n", 1)));
        assertThat(ctx.records(HttpRecord.class).getFirst().uri()).isEqualTo("/caf\\xe9\\xff");
    }
}
