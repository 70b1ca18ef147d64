package dev.vigil.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpProtocolTest {

    private static Verdict probe(Direction d, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new HttpProtocol().probe(d, MemorySegment.ofArray(b), 0, b.length, 5060);
    }

    static Stream<Arguments> requestLines() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\n", Verdict.MATCH),
                Arguments.of("OPTIONS * HTTP/1.1\r\nHost: example.com\r\n", Verdict.MATCH),
                Arguments.of("CONNECT mailin03.sul.t-online.de:25 / HTTP/1.0\r\n", Verdict.MATCH),
                Arguments.of("GET /star-123456/index.m3u8?token=x HTTP/1.1\n", Verdict.MATCH),
                Arguments.of("GET / HTTP/1.1", Verdict.NEED_MORE),
                Arguments.of("GE", Verdict.NEED_MORE),
                Arguments.of("OPTIONS sip:bob@example.com SIP/2.0\r\n", Verdict.NO_MATCH),
                Arguments.of("PRI * HTTP/2.0\r\n", Verdict.NO_MATCH),
                Arguments.of("get / HTTP/1.1\r\n", Verdict.NO_MATCH),
                Arguments.of("GET key\r\n", Verdict.NO_MATCH),
                Arguments.of("\u0016\u0003\u0001\u0002\u0000", Verdict.NO_MATCH),
                Arguments.of("GET /\u0001 HTTP/1.1\r\n", Verdict.NO_MATCH));
    }

    @ParameterizedTest
    @MethodSource
    void requestLines(String bytes, Verdict expected) {
        assertThat(probe(Direction.ORIG, bytes)).isEqualTo(expected);
    }

    static Stream<Arguments> statusLines() {
        return Stream.of(
                Arguments.of("HTTP/1.1 200 OK\r\n", Verdict.MATCH),
                Arguments.of("HTTP/1.0 404\r\n", Verdict.MATCH),
                Arguments.of("HTTP/1.1 2", Verdict.NEED_MORE),
                Arguments.of("HTTP/2 200", Verdict.NO_MATCH),
                Arguments.of("SIP/2.0 200 OK", Verdict.NO_MATCH));
    }

    @ParameterizedTest
    @MethodSource
    void statusLines(String bytes, Verdict expected) {
        assertThat(probe(Direction.RESP, bytes)).isEqualTo(expected);
    }
}
