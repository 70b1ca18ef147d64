package dev.vigil.net.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Http2ProtocolTest {

    private static Verdict probe(Direction d, byte[] b) {
        return new Http2Protocol().probe(d, MemorySegment.ofArray(b), 0, b.length, 12345);
    }

    @Test
    void prefaceMatchesAndItsPrefixNeedsMore() {
        byte[] preface = Http2Analyzer.PREFACE;
        assertThat(probe(Direction.ORIG, preface)).isEqualTo(Verdict.MATCH);
        assertThat(probe(Direction.ORIG, Arrays.copyOf(preface, 10))).isEqualTo(Verdict.NEED_MORE);
    }

    @Test
    void midstreamNeedsTwoValidFrames() {
        byte[] two = H2.start().settings(3, 100).frame(8, 0, 0, new byte[] {0, 0, 1, 0}).build();
        assertThat(probe(Direction.RESP, two)).isEqualTo(Verdict.MATCH);
        assertThat(probe(Direction.RESP, Arrays.copyOf(two, 15))).isEqualTo(Verdict.NEED_MORE);
        assertThat(probe(Direction.ORIG, H2.start().frame(6, 0, 1, new byte[8]).frame(6, 0, 0, new byte[8]).build()))
                .isEqualTo(Verdict.NO_MATCH);
    }

    @Test
    void otherProtocolsAreNotHttp2() {
        for (String s : new String[] {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003",
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n", "SSH-2.0-OpenSSH_9.6\r\n", "\u0000\u0000\u0000\u0008\u0004\u00d2\u0016\u002f\u0000\u0000"}) {
            assertThat(probe(Direction.ORIG, s.getBytes(StandardCharsets.ISO_8859_1))).as(s).isEqualTo(Verdict.NO_MATCH);
        }
    }
}
