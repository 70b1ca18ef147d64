package dev.vigil.net.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.Http2Record;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import dev.vigil.net.detect.ProtocolDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 {@code Upgrade: h2c} through protocol detection, as in the http2-upgrade corpus pcap. */
class Http2UpgradeTest {

    @Test
    void upgradedRequestIsStreamOneAndLaterStreamsFollow() {
        JdkHpack client = new JdkHpack(4096);
        JdkHpack server = new JdkHpack(4096);
        byte[] request = ("GET /robots.txt HTTP/1.1\r\nHost: nghttp2.org\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nUser-Agent: nghttp2/1.0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] serverStart = H2.start().settings(3, 100, 1, 8192).build();
        List<Chunk> chunks = List.of(
                new Chunk(Direction.ORIG, request, 1_000_000),
                new Chunk(Direction.RESP, concat(switching, serverStart), 1_600_000),
                new Chunk(Direction.ORIG, H2.start().preface().settings(2, 0).build(), 1_600_500),
                new Chunk(Direction.RESP, H2.start().headers(1, 0, server.block(":status", "200", "content-type",
                        "text/plain")).data(1, Http2Analyzer.END_STREAM, "User-agent: *").build(), 1_600_600),
                new Chunk(Direction.ORIG, H2.start().headers(3, Http2Analyzer.END_STREAM, client.block(":method", "GET",
                        ":path", "/humans.txt", ":scheme", "http", ":authority", "nghttp2.org")).build(), 1_601_300),
                new Chunk(Direction.RESP, H2.start().headers(3, Http2Analyzer.END_STREAM, server.block(":status", "404"))
                        .build(), 1_916_000));
        RecordingContext ctx = RecordingContext.tcp(80);
        AppAnalyzer a = new ProtocolDetector().create(ctx);
        Feed.whole(a, chunks);
        a.end(2_000_000);

        assertThat(ctx.anomalies).isEmpty();
        assertThat(ctx.services).containsExactly("http", "http2");
        HttpRecord upgrade = ctx.records(HttpRecord.class).getFirst();
        assertThat(upgrade.uri()).isEqualTo("/robots.txt");
        assertThat(upgrade.statusCode()).isEqualTo(101);
        List<Http2Record> streams = ctx.records(Http2Record.class);
        assertThat(streams).extracting(Http2Record::streamId).containsExactly(1L, 3L);
        assertThat(streams.get(0).authority()).isEqualTo("nghttp2.org");
        assertThat(streams.get(0).path()).isEqualTo("/robots.txt");
        assertThat(streams.get(0).status()).isEqualTo(200);
        assertThat(streams.get(0).userAgent()).isEqualTo("nghttp2/1.0");
        assertThat(streams.get(0).responseBodyLen()).isEqualTo(13);
        assertThat(streams.get(1).path()).isEqualTo("/humans.txt");
        assertThat(streams.get(1).status()).isEqualTo(404);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
