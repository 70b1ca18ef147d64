package dev.vigil.net.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TlsProtocolTest {

    private static Verdict probe(Direction d, byte[] b, int length) {
        return new TlsProtocol().probe(d, MemorySegment.ofArray(b), 0, length, 443);
    }

    @Test
    void clientHelloPrefixNeedsElevenBytesThenMatches() {
        byte[] hello = TlsMessages.record(22, TlsAnalyzerTest.clientHello());
        for (int n = 0; n < 11; n++) {
            assertThat(probe(Direction.ORIG, hello, n)).as("%d bytes", n).isEqualTo(Verdict.NEED_MORE);
        }
        assertThat(probe(Direction.ORIG, hello, 11)).isEqualTo(Verdict.MATCH);
        assertThat(probe(Direction.RESP, hello, hello.length)).as("either side may start").isEqualTo(Verdict.MATCH);
    }

    @Test
    void otherProtocolsDoNotMatch() {
        for (String text : new String[] {"GET / HTTP/1.1\r\n", "SSH-2.0-OpenSSH_9.6\r\n", "*1\r\n$4\r\nPING\r\n"}) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(probe(Direction.ORIG, b, b.length)).as(text).isEqualTo(Verdict.NO_MATCH);
        }
        byte[] postgresStartup = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f};
        assertThat(probe(Direction.ORIG, postgresStartup, 8)).isEqualTo(Verdict.NO_MATCH);
        byte[] wrongVersion = {22, 2, 0, 0, 50, 1, 0, 0, 46, 3, 3};
        assertThat(probe(Direction.ORIG, wrongVersion, wrongVersion.length)).isEqualTo(Verdict.NO_MATCH);
    }

    @Test
    void applicationDataPicksUpAConnectionInProgress() {
        byte[] data = TlsMessages.record(23, new byte[100]);
        assertThat(probe(Direction.RESP, data, 5)).isEqualTo(Verdict.MATCH);
        byte[] tooLong = {23, 3, 3, (byte) 0x48, 1};
        assertThat(probe(Direction.RESP, tooLong, 5)).isEqualTo(Verdict.NO_MATCH);
    }
}
