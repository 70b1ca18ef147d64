package dev.vigil.net.smtp;

import static dev.vigil.net.app.Feed.Chunk.orig;
import static dev.vigil.net.app.Feed.Chunk.resp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.SmtpRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import dev.vigil.net.app.Robustness;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmtpAnalyzerTest {

    static RecordingContext run(List<Chunk> chunks) {
        return run(a -> Feed.whole(a, chunks));
    }

    static RecordingContext run(Consumer<AppAnalyzer> feed) {
        return Feed.run(new SmtpProtocol(), RecordingContext.tcp(25), feed);
    }

    static final List<Chunk> SESSION = List.of(
            resp("220 mx.example.com ESMTP ready\r\n", 1_000_000),
            orig("EHLO client.example.org\r\n", 1_100_000),
            resp("250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n", 1_200_000),
            orig("MAIL FROM:<alice@example.org> SIZE=500\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<carol@example.com>\r\n"
                    + "RCPT TO:<bob@example.com>\r\nDATA\r\n", 1_300_000),
            resp("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
                    1_400_000),
            orig("Received: from a.example ([192.0.2.1]) by b.example\r\nReceived: from c.example\r\n (c [198.51.100.7])\r\n"
                    + "From: Alice <alice@example.org>\r\nTo: bob@example.com, carol@example.com\r\nCc: dave@example.net\r\n"
                    + "Subject: Quarterly\r\n numbers\r\nMessage-ID: <1@example.org>\r\nX-Mailer: Thunderbird 115\r\n"
                    + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello,\r\n..dotted line\r\n.\r\n", 1_500_000),
            resp("250 2.0.0 Ok: queued as 12345\r\n", 1_600_000),
            orig("QUIT\r\n", 1_700_000),
            resp("221 2.0.0 Bye\r\n", 1_800_000));

    @Test
    void oneRecordPerMailTransactionAsZeekLogsIt() {
        RecordingContext ctx = run(SESSION);
        assertThat(ctx.anomalies).isEmpty();
        assertThat(ctx.encrypted).isFalse();
        assertThat(ctx.records).hasSize(1);
        SmtpRecord r = ctx.records(SmtpRecord.class).getFirst();
        assertThat(r.ts()).isEqualTo(1.1);
        assertThat(r.transDepth()).isEqualTo(1);
        assertThat(r.helo()).isEqualTo("client.example.org");
        assertThat(r.mailfrom()).isEqualTo("alice@example.org");
        assertThat(r.rcptto()).containsExactly("bob@example.com", "carol@example.com");
        assertThat(r.from()).isEqualTo("Alice <alice@example.org>");
        assertThat(r.to()).containsExactly("bob@example.com", "carol@example.com");
        assertThat(r.cc()).containsExactly("dave@example.net");
        assertThat(r.subject()).isEqualTo("Quarterly numbers");
        assertThat(r.msgId()).isEqualTo("<1@example.org>");
        assertThat(r.userAgent()).isEqualTo("Thunderbird 115");
        assertThat(r.date()).isEqualTo("Mon, 1 Jan 2024 10:00:00 +0000");
        assertThat(r.firstReceived()).isEqualTo("from c.example (c [198.51.100.7])");
        assertThat(r.secondReceived()).isEqualTo("from a.example ([192.0.2.1]) by b.example");
        assertThat(r.path()).containsExactly("10.0.0.2", "10.0.0.1", "192.0.2.1", "198.51.100.7");
        assertThat(r.lastReply()).isEqualTo("250 2.0.0 Ok: queued as 12345");
        assertThat(r.tls()).isFalse();
    }

    @Test
    void sameRecordsWhateverTheSegmentation() {
        List<String> whole = run(SESSION).json();
        assertThat(run(a -> Feed.pieces(a, SESSION, 1)).json()).isEqualTo(whole);
        for (int[] cut : Feed.everyCut(SESSION)) {
            assertThat(run(a -> Feed.splitAt(a, SESSION, cut[0], cut[1])).json()).as("cut %s", cut).isEqualTo(whole);
        }
    }

    @Test
    void rejectedDataKeepsParsingCommandsAndRsetLogsTheTransaction() {
        RecordingContext ctx = run(List.of(resp("220 smtp\r\n", 1), orig("HELO x\r\nMAIL FROM:<a@b>\r\nDATA\r\n", 2),
                resp("250 ok\r\n250 ok\r\n554 no valid recipients\r\n", 3), orig("RSET\r\nQUIT\r\n", 4),
                resp("250 flushed\r\n221 bye\r\n", 5)));
        SmtpRecord r = ctx.records(SmtpRecord.class).getFirst();
        assertThat(ctx.records).hasSize(1);
        assertThat(r.mailfrom()).isEqualTo("a@b");
        assertThat(r.lastReply()).isEqualTo("250 flushed");
    }

    @Test
    void acceptedStarttlsHandsTheRestToDetection() {
        RecordingContext ctx = run(List.of(resp("220 smtp ESMTP\r\n", 1), orig("EHLO x\r\nSTARTTLS\r\n", 2),
                orig("\u0016\u0003\u0001hello", 3), resp("250 ok\r\n220 go ahead\r\n\u0016\u0003\u0003srv", 4)));
        SmtpRecord r = ctx.records(SmtpRecord.class).getFirst();
        assertThat(r.tls()).isTrue();
        assertThat(r.helo()).isEqualTo("x");
        RecordingContext.Tunnel tunnel = (RecordingContext.Tunnel) ctx.switches.getFirst();
        assertThat(tunnel.orig.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0016\u0003\u0001hello");
        assertThat(tunnel.resp.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0016\u0003\u0003srv");
    }

    @Test
    void bdatChunksAreSkippedByLength() {
        RecordingContext ctx = run(List.of(resp("220 smtp\r\n", 1), orig("EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"
                + "BDAT 5\r\nQUIT\r\nBDAT 3 LAST\r\n.\r\n", 2), resp("250 a\r\n250 b\r\n250 c\r\n250 d\r\n250 done\r\n", 3)));
        SmtpRecord r = ctx.records(SmtpRecord.class).getFirst();
        assertThat(r.rcptto()).containsExactly("c@d");
        assertThat(r.lastReply()).isEqualTo("250 done");
    }

    @Test
    void limitsAtTheirValueAndOnePast() {
        String longLine = "NOOP " + "x".repeat(SmtpAnalyzer.MAX_LINE_LENGTH - 5);
        assertThat(run(List.of(orig(longLine + "\r\n", 1))).anomalies).isEmpty();
        assertThat(run(List.of(orig(longLine + "x\r\n", 1))).anomalies)
                .containsExactly("smtp_line_too_long: max line length: 8192 exceeded by the client");

        StringBuilder rcpts = new StringBuilder("HELO x\r\nMAIL FROM:<a@b>\r\n");
        for (int i = 0; i <= SmtpAnalyzer.MAX_ADDRESSES; i++) {
            rcpts.append("RCPT TO:<r").append(i).append("@x>\r\n");
        }
        SmtpRecord many = run(List.of(orig(rcpts.toString(), 1))).records(SmtpRecord.class).getFirst();
        assertThat(many.rcptto()).hasSize(SmtpAnalyzer.MAX_ADDRESSES).endsWith("r99@x");

        assertThat(run(List.of(orig("NOOP\r\n".repeat(SmtpAnalyzer.MAX_PENDING), 1))).anomalies).isEmpty();
        assertThat(run(List.of(orig("NOOP\r\n".repeat(SmtpAnalyzer.MAX_PENDING + 1), 1))).anomalies)
                .containsExactly("smtp_too_many_pending: max pending commands: 64 reached; dropping the oldest");

        String held = "x".repeat(SmtpAnalyzer.MAX_HELD_BYTES);
        assertThat(run(List.of(orig("DATA\r\n" + held, 1))).anomalies).isEmpty();
        assertThat(run(List.of(orig("DATA\r\n" + held + "y", 1))).anomalies)
                .containsExactly("smtp_held_overflow: max held bytes: 65536 exceeded while DATA or STARTTLS awaits its reply");

        String subject = "s".repeat(SmtpAnalyzer.MAX_HEADER_LENGTH);
        RecordingContext capped = run(List.of(orig("MAIL FROM:<a@b>\r\nDATA\r\n", 1), resp("250 ok\r\n354 go\r\n", 2),
                orig("Subject: " + subject.substring(0, 6000) + "\r\n " + subject.substring(6000, 12000) + "\r\n "
                        + subject.substring(12000) + "\r\n\r\n.\r\n", 3),
                resp("250 ok\r\n", 4)));
        assertThat(capped.records(SmtpRecord.class).getFirst().subject()).hasSize(SmtpAnalyzer.MAX_HEADER_LENGTH - 9);
    }

    @Test
    void badReplyLineIsAnAnomaly() {
        assertThat(run(List.of(resp("hello there\r\n", 1))).anomalies)
                .containsExactly("smtp_bad_reply: reply line does not start with a three-digit code");
    }

    private static Verdict probe(Direction d, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return new SmtpProtocol().probe(d, MemorySegment.ofArray(b), 0, b.length, 25);
    }

    @Test
    void probeNeedsAnSmtpBannerOrAHelo() {
        assertThat(probe(Direction.RESP, "220 mailin03.sul.t-online.de T-Online ESMTP receiver\r\n")).isEqualTo(Verdict.MATCH);
        assertThat(probe(Direction.RESP, "220 ProFTPD Server ready\r\n")).isEqualTo(Verdict.NEED_MORE);
        assertThat(probe(Direction.RESP, "230 ok\r\n")).isEqualTo(Verdict.NO_MATCH);
        assertThat(probe(Direction.ORIG, "ehlo x\r\n")).isEqualTo(Verdict.MATCH);
        assertThat(probe(Direction.ORIG, "HEL")).isEqualTo(Verdict.NEED_MORE);
        assertThat(probe(Direction.ORIG, "USER anonymous\r\n")).isEqualTo(Verdict.NO_MATCH);
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void neverThrows(long seed) {
        Robustness.Outcome o = Robustness.run(seed, ctx -> new SmtpProtocol().create(ctx), RecordingContext.tcp(25),
                List.of(SESSION));
        assertThat(o.context().records.size()).as("seed %d", seed).isLessThanOrEqualTo(o.chunks() * 20 + 1);
    }
}
