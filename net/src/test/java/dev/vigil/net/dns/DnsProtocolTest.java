package dev.vigil.net.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsProtocolTest {

    private static Verdict udp(byte[] b) {
        return DnsProtocol.overUdp().probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 53);
    }

    private static Verdict tcp(byte[] b, int length) {
        return DnsProtocol.overTcp().probe(Direction.ORIG, MemorySegment.ofArray(b), 0, length, 53);
    }

    @Test
    void queriesAndResponsesMatchOtherBytesDoNot() {
        assertThat(udp(DnsAnalyzerTest.query(1, "a.example", 1))).isEqualTo(Verdict.MATCH);
        assertThat(udp(DnsAnalyzerTest.aResponse(1))).isEqualTo(Verdict.MATCH);
        assertThat(udp("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(Verdict.NO_MATCH);
        assertThat(udp(new byte[12])).isEqualTo(Verdict.NO_MATCH);
        byte[] tooManyRecords = DnsWire.header(1, 0, 1, 40, 0, 0).question("a.example", 1, 1).build();
        assertThat(udp(tooManyRecords)).isEqualTo(Verdict.NO_MATCH);
    }

    @Test
    void tcpNeedsTheQuestionSectionBeforeDeciding() {
        byte[] framed = DnsWire.tcp(DnsAnalyzerTest.query(1, "a.example", 1));
        assertThat(tcp(framed, 1)).isEqualTo(Verdict.NEED_MORE);
        assertThat(tcp(framed, 14)).isEqualTo(Verdict.NEED_MORE);
        assertThat(tcp(framed, 20)).isEqualTo(Verdict.NEED_MORE);
        assertThat(tcp(framed, framed.length)).isEqualTo(Verdict.MATCH);
        byte[] http = Arrays.copyOf("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), 16);
        assertThat(tcp(http, http.length)).isEqualTo(Verdict.NO_MATCH);
    }
}
