package dev.vigil.net.flow;

import static dev.vigil.net.analysis.TestFrames.ACK;
import static dev.vigil.net.analysis.TestFrames.FIN;
import static dev.vigil.net.analysis.TestFrames.PSH;
import static dev.vigil.net.analysis.TestFrames.RST;
import static dev.vigil.net.analysis.TestFrames.SYN;
import static dev.vigil.net.analysis.TestFrames.tcpFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.analysis.RecordingSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zeek's conn_state, history and byte counts on hand-built TCP exchanges. */
class ConnStateTest {

    private static final String C = "10.0.0.1";
    private static final String S = "10.0.0.2";
    private static final byte[] NONE = new byte[0];

    private final RecordingSink sink = new RecordingSink();
    private final Pipeline pipeline = new Pipeline(PipelineConfig.defaults(), null, sink);
    private long t = 1_000_000_000_000L;

    private void c2s(int seq, int ack, int flags, byte[] data) {
        pipeline.frame(tcpFrame(C, 40000, S, 80, seq, ack, flags, data, t += 1000));
    }

    private void s2c(int seq, int ack, int flags, byte[] data) {
        pipeline.frame(tcpFrame(S, 80, C, 40000, seq, ack, flags, data, t += 1000));
    }

    private ConnRecord only() {
        pipeline.finish();
        List<ConnRecord> conns = sink.conns();
        assertThat(conns).hasSize(1);
        return conns.getFirst();
    }

    @Test
    void fullConnectionIsSfWithZeekHistoryAndSequenceBytes() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        c2s(101, 501, ACK | PSH, "hello".getBytes());
        s2c(501, 106, ACK, NONE);
        s2c(501, 106, ACK | PSH, "world!!".getBytes());
        c2s(106, 508, ACK | FIN, NONE);
        s2c(508, 107, ACK | FIN, NONE);
        c2s(107, 509, ACK, NONE);
        ConnRecord c = only();
        assertThat(c.connState()).isEqualTo("SF");
        assertThat(c.history()).isEqualTo("ShADadFf");
        assertThat(c.origBytes()).isEqualTo(5);
        assertThat(c.respBytes()).isEqualTo(7);
        assertThat(c.origPkts()).isEqualTo(5);
        assertThat(c.respPkts()).isEqualTo(4);
        assertThat(c.origIpBytes()).isEqualTo(5 * 40 + 5);
    }

    @Test
    void unansweredSynIsS0() {
        c2s(100, 0, SYN, NONE);
        c2s(100, 0, SYN, NONE);
        ConnRecord c = only();
        assertThat(c.connState()).isEqualTo("S0");
        assertThat(c.history()).isEqualTo("S");
    }

    @Test
    void resetSynIsRej() {
        c2s(100, 0, SYN, NONE);
        s2c(0, 101, RST | ACK, NONE);
        ConnRecord c = only();
        assertThat(c.connState()).isEqualTo("REJ");
        assertThat(c.history()).isEqualTo("Sr");
    }

    @Test
    void originatorResetAfterHandshakeIsRsto() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        c2s(101, 501, RST, NONE);
        assertThat(only().connState()).isEqualTo("RSTO");
    }

    @Test
    void responderResetAfterHandshakeIsRstr() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        s2c(501, 101, RST, NONE);
        assertThat(only().connState()).isEqualTo("RSTR");
    }

    @Test
    void synThenResetWithoutAnswerIsRstos0() {
        c2s(100, 0, SYN, NONE);
        c2s(101, 0, RST, NONE);
        ConnRecord c = only();
        assertThat(c.connState()).isEqualTo("RSTOS0");
        assertThat(c.history()).isEqualTo("SR");
    }

    @Test
    void establishedWithoutCloseIsS1AndHalfClosesAreS2S3() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        assertThat(only().connState()).isEqualTo("S1");
    }

    @Test
    void midStreamPickupIsOthAndOrientedByServerPort() {
        s2c(900, 200, ACK | PSH, "data".getBytes());
        c2s(200, 904, ACK, NONE);
        ConnRecord c = only();
        assertThat(c.id().respP()).isEqualTo(80);
        assertThat(c.history()).startsWith("^");
        assertThat(c.respBytes()).isEqualTo(4);
    }

    @Test
    void retransmissionsAddScaledLetters() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        byte[] data = "x".getBytes();
        c2s(101, 501, ACK | PSH, data);
        for (int i = 0; i < 10; i++) {
            c2s(101, 501, ACK | PSH, data);
        }
        assertThat(only().history()).isEqualTo("ShADTT");
    }

    @Test
    void sequenceWrapAroundKeepsByteCounts() {
        int isn = 0xffff_fff0;
        c2s(isn, 0, SYN, NONE);
        s2c(500, isn + 1, SYN | ACK, NONE);
        c2s(isn + 1, 501, ACK, NONE);
        byte[] data = new byte[40];
        c2s(isn + 1, 501, ACK | PSH, data);
        c2s(isn + 41, 501, ACK | PSH, data);
        s2c(501, isn + 81, ACK, NONE);
        ConnRecord c = only();
        assertThat(c.origBytes()).isEqualTo(80);
        assertThat(c.missedBytes()).isZero();
    }

    @Test
    void originatorFinWithoutAnswerIsSh() {
        c2s(100, 0, SYN, NONE);
        c2s(101, 0, FIN, NONE);
        assertThat(only().connState()).isEqualTo("SH");
    }

    @Test
    void halfClosedByOriginatorIsS2AndByResponderIsS3() {
        c2s(100, 0, SYN, NONE);
        s2c(500, 101, SYN | ACK, NONE);
        c2s(101, 501, ACK, NONE);
        c2s(101, 501, ACK | FIN, NONE);
        assertThat(only().connState()).isEqualTo("S2");
    }

    @Test
    void responderOnlyFinIsShr() {
        s2c(900, 200, ACK | FIN, NONE);
        ConnRecord c = only();
        assertThat(c.connState()).isEqualTo("SHR");
    }

    @Test
    void responderResetWithoutOriginatorIsRstrh() {
        s2c(900, 200, RST | ACK, NONE);
        assertThat(only().connState()).isEqualTo("RSTRH");
    }

    @Test
    void synWithANewSequenceNumberRestartsTheSequenceSpaceAsZeekDoes() {
        c2s(100, 0, SYN, NONE);
        c2s(100, 0, SYN, NONE);
        c2s(7000, 0, SYN, NONE);
        assertThat(only().history()).isEqualTo("S");
        assertThat(sink.records).filteredOn(r -> r.log().equals("weird"))
                .singleElement().satisfies(r -> assertThat(r.toJson()).contains("\"name\":\"SYN_seq_jump\""));
    }
}
