package dev.vigil.net.http;

import static dev.vigil.net.app.Feed.Chunk.orig;
import static dev.vigil.net.app.Feed.Chunk.resp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.HttpRecord;
import dev.vigil.net.app.RecordingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit of the HTTP/1.x analyzer at its value (accepted) and one past it (an anomaly). */
class HttpLimitsTest {

    @Test
    void lineAtTheLimitParsesAndOneByteMoreIsAnAnomaly() {
        String prefix = "GET /";
        String suffix = " HTTP/1.1";
        String uri = "a".repeat(HttpAnalyzer.MAX_LINE_LENGTH - prefix.length() - suffix.length());
        RecordingContext ok = HttpAnalyzerTest.run(List.of(orig(prefix + uri + suffix + "\r\n\r\n", 1)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(HttpRecord.class).getFirst().uri()).hasSize(HttpAnalyzer.MAX_LINE_LENGTH - 13);

        RecordingContext over = HttpAnalyzerTest.run(List.of(orig(prefix + uri + "a" + suffix + "\r\n\r\n", 1)));
        assertThat(over.anomalies).containsExactly("http_line_too_long: max line length: 8192 exceeded in read_start_line");
    }

    private static String headers(int n, int valueLength) {
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < n; i++) {
            b.append("X-H").append(i).append(": ").append("v".repeat(valueLength)).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    @Test
    void headerCountAtTheLimitParsesAndOneMoreIsAnAnomaly() {
        assertThat(HttpAnalyzerTest.run(List.of(orig(headers(HttpAnalyzer.MAX_HEADERS, 1), 1))).anomalies).isEmpty();
        assertThat(HttpAnalyzerTest.run(List.of(orig(headers(HttpAnalyzer.MAX_HEADERS + 1, 1), 1))).anomalies)
                .containsExactly("http_too_many_headers: max headers: 128 exceeded");
    }

    @Test
    void headerBytesAtTheLimitParseAndOneMoreIsAnAnomaly() {
        int lines = 16;
        int perLine = HttpAnalyzer.MAX_HEADER_BYTES / lines;
        StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < lines; i++) {
            String name = "X-%02d: ".formatted(i);
            b.append(name).append("v".repeat(perLine - name.length())).append("\r\n");
        }
        String exact = b + "\r\n";
        assertThat(HttpAnalyzerTest.run(List.of(orig(exact, 1))).anomalies).isEmpty();
        String over = b + "Y: \r\n\r\n";
        assertThat(HttpAnalyzerTest.run(List.of(orig(over, 1))).anomalies)
                .containsExactly("http_headers_too_large: max header bytes: 65536 exceeded");
    }

    @Test
    void pendingRequestsAtTheLimitWaitAndOneMoreLogsTheOldest() {
        String request = "GET /p HTTP/1.1\r\n\r\n";
        RecordingContext ok = HttpAnalyzerTest.run(List.of(orig(request.repeat(HttpAnalyzer.MAX_PENDING), 1)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records).hasSize(100);

        RecordingContext over = HttpAnalyzerTest.run(List.of(orig(request.repeat(HttpAnalyzer.MAX_PENDING + 1), 1),
                resp("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 2)));
        assertThat(over.anomalies).containsExactly("http_excessive_pipelining: max pending requests: 100 reached "
                + "(depth=100); logging the oldest without its response");
        List<HttpRecord> rs = over.records(HttpRecord.class);
        assertThat(rs).hasSize(101);
        assertThat(rs.get(0).transDepth()).isEqualTo(1);
        assertThat(rs.get(0).statusCode()).isNull();
        assertThat(rs.get(1).transDepth()).isEqualTo(2);
        assertThat(rs.get(1).statusCode()).isEqualTo(200);
    }

    @Test
    void postBodyKeepsExactlyTheLimit() {
        String body = "b".repeat(HttpAnalyzer.MAX_POST_BODY + 1);
        RecordingContext ctx = HttpAnalyzerTest.run(List.of(orig("POST / HTTP/1.1\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body, 1)));
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.postBody()).hasSize(HttpAnalyzer.MAX_POST_BODY);
        assertThat(r.requestBodyLen()).isEqualTo(HttpAnalyzer.MAX_POST_BODY + 1);
    }

    @Test
    void heldBytesAtTheLimitAreKeptAndOneMoreIsAnAnomaly() {
        String connect = "CONNECT h:443 HTTP/1.1\r\n\r\n";
        String held = "x".repeat(HttpAnalyzer.MAX_PAUSED_BYTES);
        RecordingContext ok = HttpAnalyzerTest.run(List.of(orig(connect + held, 1), resp("HTTP/1.1 200 OK\r\n\r\n", 2)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(((RecordingContext.Tunnel) ok.switches.getFirst()).orig.size()).isEqualTo(HttpAnalyzer.MAX_PAUSED_BYTES);

        RecordingContext over = HttpAnalyzerTest.run(List.of(orig(connect + held, 1), orig("y", 2)));
        assertThat(over.anomalies).containsExactly("http_paused_overflow: max paused bytes: 65536 exceeded while a "
                + "CONNECT or Upgrade request awaits its response");
    }
}
