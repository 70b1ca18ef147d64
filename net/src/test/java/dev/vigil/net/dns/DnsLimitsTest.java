package dev.vigil.net.dns;

import static dev.vigil.net.dns.DnsWire.QR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.DnsRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit of the DNS analyzer at its value (accepted) and one past it (an anomaly, never an exception). */
class DnsLimitsTest {

    private static RecordingContext run(byte[]... datagrams) {
        RecordingContext ctx = RecordingContext.udp(53);
        AppAnalyzer a = DnsProtocol.overUdp().create(ctx);
        List<Chunk> chunks = new ArrayList<>();
        long ts = 1;
        for (byte[] d : datagrams) {
            chunks.add(new Chunk(Direction.RESP, d, ts++));
        }
        Feed.whole(a, chunks);
        a.end(ts);
        return ctx;
    }

    /** A response whose CNAME answer's name is a chain of {@code hops} backward pointers ending at "x.y". */
    private static byte[] pointerChain(int hops) {
        DnsWire w = DnsWire.header(1, QR, 1, 2, 0, 0).question("q.example", 1, 1);
        DnsWire chain = DnsWire.data().name("x.y");
        int base = w.size() + 12;
        int last = base;
        for (int i = 0; i < hops - 1; i++) {
            int at = base + chain.size();
            chain.pointer(last);
            last = at;
        }
        w.rrAt(12, 999, 1, chain.build());
        return w.rrAt(12, 5, 2, DnsWire.data().pointer(last).build()).build();
    }

    @Test
    void pointerChainAtTheHopLimitResolvesAndOneMoreIsALoop() {
        RecordingContext ok = run(pointerChain(DnsMessage.MAX_POINTER_HOPS));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(DnsRecord.class).getFirst().answers()).containsExactly("<unknown type=999>", "x.y");

        RecordingContext over = run(pointerChain(DnsMessage.MAX_POINTER_HOPS + 1));
        assertThat(over.anomalies).containsExactly("dns_compression_loop: max pointer hops: 32 exceeded reading "
                + "the name at " + (pointerChain(33).length - 2));
    }

    @Test
    void pointerToItselfOrForwardIsALoop() {
        byte[] self = DnsWire.header(1, QR, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build();
        assertThat(run(self).anomalies).containsExactly("dns_compression_loop: pointer at 12 to 12 does not point backward");
        byte[] forward = DnsWire.header(1, QR, 1, 0, 0, 0).pointer(20).u16(1).u16(1).u16(0).u16(0).build();
        assertThat(run(forward).anomalyNames()).containsExactly("dns_compression_loop");
    }

    private static String name(int length) {
        StringBuilder b = new StringBuilder();
        int remaining = length;
        while (remaining > 0) {
            if (!b.isEmpty()) {
                b.append('.');
                remaining--;
            }
            int label = Math.min(63, remaining);
            if (remaining - label == 1) {
                label--;
            }
            b.append("a".repeat(label));
            remaining -= label;
        }
        return b.toString();
    }

    @Test
    void nameAtTheLengthLimitIsKeptAndOneMoreCharacterIsRejected() {
        String longest = name(DnsMessage.MAX_NAME_LENGTH);
        assertThat(longest).hasSize(255);
        RecordingContext ok = run(DnsWire.header(1, 0, 1, 0, 0, 0).question(longest, 1, 1).build());
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(DnsRecord.class).getFirst().query()).isEqualTo(longest);

        RecordingContext over = run(DnsWire.header(1, 0, 1, 0, 0, 0).question(name(256), 1, 1).build());
        assertThat(over.anomalies).containsExactly("dns_name_too_long: max name length: 255 exceeded by the name at 12");
    }

    @Test
    void questionsAtTheLimitParseAndOneMoreIsAnAnomaly() {
        DnsWire ok = DnsWire.header(1, 0, DnsAnalyzer.MAX_QUESTIONS, 0, 0, 0);
        DnsWire over = DnsWire.header(2, 0, DnsAnalyzer.MAX_QUESTIONS + 1, 0, 0, 0);
        for (int i = 0; i <= DnsAnalyzer.MAX_QUESTIONS; i++) {
            if (i < DnsAnalyzer.MAX_QUESTIONS) {
                ok.question("q" + i + ".example", 1, 1);
            }
            over.question("q" + i + ".example", 1, 1);
        }
        assertThat(run(ok.build()).anomalies).isEmpty();
        assertThat(run(over.build()).anomalies).containsExactly("dns_too_many_questions: max questions: 25 exceeded (qdcount=26)");
    }

    private static byte[] answers(int n) {
        DnsWire w = DnsWire.header(1, QR, 1, n, 0, 0).question("many.example", 1, 1);
        for (int i = 0; i < n; i++) {
            w.rrAt(12, 1, i, new byte[] {10, 0, (byte) (i >> 8), (byte) i});
        }
        return w.build();
    }

    @Test
    void answersAtTheLimitAreLoggedAndMoreAreCut() {
        RecordingContext ok = run(answers(DnsAnalyzer.MAX_ANSWERS));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(DnsRecord.class).getFirst().answers()).hasSize(256);

        RecordingContext over = run(answers(DnsAnalyzer.MAX_ANSWERS + 1));
        assertThat(over.anomalies).containsExactly("dns_too_many_answers: max answers: 256 reached in response 1 (ancount=257)");
        DnsRecord r = over.records(DnsRecord.class).getFirst();
        assertThat(r.answers()).hasSize(256).endsWith("10.0.0.255");
        assertThat(r.ttls()).hasSize(256);
    }

    @Test
    void pendingQueriesAtTheLimitWaitAndOneMoreLogsTheOldest() {
        RecordingContext ctx = RecordingContext.udp(53);
        AppAnalyzer a = DnsProtocol.overUdp().create(ctx);
        for (int i = 0; i < DnsAnalyzer.MAX_PENDING; i++) {
            Feed.call(a, Direction.ORIG, DnsAnalyzerTest.query(i, "p.example", 1), 0,
                    DnsAnalyzerTest.query(i, "p.example", 1).length, i);
        }
        assertThat(ctx.records).isEmpty();
        byte[] one = DnsAnalyzerTest.query(999, "p.example", 1);
        Feed.call(a, Direction.ORIG, one, 0, one.length, 100);
        assertThat(ctx.records(DnsRecord.class)).singleElement().extracting(DnsRecord::transId).isEqualTo(0);
        a.end(200);
        assertThat(ctx.records).hasSize(DnsAnalyzer.MAX_PENDING + 1);
    }

    @Test
    void shortHeaderAndReservedLabelTypesAreAnomalies() {
        assertThat(run(new byte[11]).anomalies)
                .containsExactly("dns_truncated: message of 11 bytes is shorter than the 12-byte header");
        byte[] extended = DnsWire.header(1, 0, 1, 0, 0, 0).u8(0x41).u8(0).u16(1).u16(1).build();
        assertThat(run(extended).anomalies).containsExactly("dns_bad_label_type: label type 0x40 at 12");
    }
}
