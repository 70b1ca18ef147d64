package dev.vigil.net.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.Http2Record;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit of the HTTP/2 analyzer at its value (accepted) and one past it (an anomaly). */
class Http2LimitsTest {

    private static RecordingContext client(byte[] bytes) {
        return Http2AnalyzerTest.run(List.of(new Chunk(Direction.ORIG, bytes, 1)));
    }

    @Test
    void frameAtTheDefaultMaximumIsReadAndOneByteMoreIsAnAnomaly() {
        assertThat(client(H2.start().preface().frame(0, 0, 1, new byte[Http2Analyzer.DEFAULT_MAX_FRAME_SIZE]).build())
                .anomalies).isEmpty();
        assertThat(client(H2.start().preface().frame(0, 0, 1, new byte[Http2Analyzer.DEFAULT_MAX_FRAME_SIZE + 1])
                .build()).anomalies).containsExactly("http2_frame_too_large: frame of 16385 bytes above the limit 16384");
    }

    @Test
    void peerSettingsRaiseTheFrameLimit() {
        RecordingContext ctx = Http2AnalyzerTest.run(List.of(
                new Chunk(Direction.RESP, H2.start().settings(5, 32768).build(), 1),
                new Chunk(Direction.ORIG, H2.start().preface().frame(0, 0, 1, new byte[32768]).build(), 2),
                new Chunk(Direction.ORIG, H2.start().frame(0, 0, 1, new byte[32769]).build(), 3)));
        assertThat(ctx.anomalies).containsExactly("http2_frame_too_large: frame of 32769 bytes above the limit 32768");
        assertThat(Http2AnalyzerTest.run(List.of(new Chunk(Direction.RESP, H2.start().settings(5, 100).build(), 1)))
                .anomalies).containsExactly("http2_bad_settings: SETTINGS_MAX_FRAME_SIZE 100 outside 16384..16777215");
    }

    /** A header block of exactly {@code size} bytes: one literal field without indexing, name "x". */
    private static byte[] block(int size) {
        int value = size - 2 - 1 - 4;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(1);
        out.write('x');
        out.write(0x7f);
        int v = value - 127;
        while (v >= 128) {
            out.write((v & 0x7f) | 0x80);
            v >>= 7;
        }
        out.write(v);
        out.writeBytes(new byte[value]);
        byte[] b = out.toByteArray();
        assertThat(b).hasSize(size);
        return b;
    }

    private static byte[] continued(byte[] block) {
        H2 h = H2.start().preface().settings(5, Http2Analyzer.MAX_FRAME_SIZE);
        int at = 0;
        int piece = 16384;
        while (at < block.length) {
            int n = Math.min(piece, block.length - at);
            boolean last = at + n == block.length;
            h.frame(at == 0 ? 1 : 9, (last ? Http2Analyzer.END_HEADERS : 0) | (at == 0 ? 1 : 0), 1,
                    java.util.Arrays.copyOfRange(block, at, at + n));
            at += n;
        }
        return h.build();
    }

    @Test
    void headerBlockAtTheLimitDecodesAndOneByteMoreIsAnAnomaly() {
        RecordingContext ok = client(continued(block(Http2Analyzer.MAX_HEADER_BLOCK)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(Http2Record.class)).hasSize(1);
        assertThat(client(continued(block(Http2Analyzer.MAX_HEADER_BLOCK + 1))).anomalies)
                .containsExactly("http2_header_block_too_large: max header block: 65536 bytes exceeded on stream 1");
    }

    @Test
    void openStreamsAtTheLimitWaitAndOneMoreLogsTheOldest() {
        JdkHpack hpack = new JdkHpack(4096);
        H2 ok = H2.start().preface();
        for (int i = 0; i < Http2Analyzer.MAX_STREAMS; i++) {
            ok.headers(1 + 2 * i, 0, hpack.block(":method", "GET", ":path", "/" + i));
        }
        byte[] all = ok.build();
        RecordingContext atLimit = client(all);
        assertThat(atLimit.anomalies).isEmpty();
        assertThat(atLimit.records).hasSize(256);

        byte[] more = H2.start().headers(1 + 2 * Http2Analyzer.MAX_STREAMS, 0, hpack.block(":method", "GET")).build();
        RecordingContext over = Http2AnalyzerTest.run(List.of(new Chunk(Direction.ORIG, all, 1),
                new Chunk(Direction.ORIG, more, 2)));
        assertThat(over.anomalies).containsExactly("http2_too_many_streams: max streams: 256 open; logging stream 1 early");
        assertThat(over.records(Http2Record.class).getFirst().streamId()).isEqualTo(1);
        assertThat(over.records).hasSize(257);
    }

    @Test
    void settingsBeyondTheReadLimitAreSkipped() {
        int[] many = new int[2 * (Http2Analyzer.MAX_SETTINGS_PAYLOAD / 6 + 10)];
        for (int i = 0; i < many.length; i += 2) {
            many[i] = 0x99;
        }
        many[many.length - 2] = 5;
        many[many.length - 1] = 100;
        RecordingContext ctx = Http2AnalyzerTest.run(List.of(new Chunk(Direction.RESP, H2.start().settings(many)
                .frame(6, 0, 0, new byte[8]).build(), 1)));
        assertThat(ctx.anomalies).isEmpty();
    }
}
