package dev.vigil.net.dns;

import static dev.vigil.net.dns.DnsWire.AA;
import static dev.vigil.net.dns.DnsWire.QR;
import static dev.vigil.net.dns.DnsWire.RA;
import static dev.vigil.net.dns.DnsWire.RD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import dev.vigil.net.app.Feed.Chunk;
import dev.vigil.net.app.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DnsAnalyzerTest {

    static byte[] query(int id, String name, int type) {
        return DnsWire.header(id, RD, 1, 0, 0, 0).question(name, type, 1).build();
    }

    static byte[] aResponse(int id) {
        return DnsWire.header(id, QR | RD | RA, 1, 2, 0, 0).question("www.example.com", 1, 1)
                .rrAt(12, 5, 300, DnsWire.data().name("Example.COM").build())
                .rr("example.com", 1, 60, new byte[] {93, (byte) 184, (byte) 216, 34}).build();
    }

    private static RecordingContext udp(List<Chunk> chunks) {
        RecordingContext ctx = RecordingContext.udp(53);
        AppAnalyzer a = DnsProtocol.overUdp().create(ctx);
        Feed.whole(a, chunks);
        a.end(9_000_000);
        return ctx;
    }

    @Test
    void pairsQueryAndResponseIntoOneZeekRecord() {
        RecordingContext ctx = udp(List.of(new Chunk(Direction.ORIG, query(0x1234, "www.Example.com", 1), 1_000_000),
                new Chunk(Direction.RESP, aResponse(0x1234), 1_012_500)));

        assertThat(ctx.json()).containsExactly("{\"log\":\"dns\",\"ts\":1.000000,\"uid\":\"CtestUid1\","
                + "\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":53,"
                + "\"proto\":\"udp\",\"trans_id\":4660,\"rtt\":0.0125,\"query\":\"www.example.com\",\"qclass\":1,"
                + "\"qclass_name\":\"C_INTERNET\",\"qtype\":1,\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\","
                + "\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":true,\"Z\":0,\"answers\":[\"example.com\",\"93.184.216.34\"],"
                + "\"TTLs\":[300,60],\"rejected\":false,\"opcode\":0,\"opcode_name\":\"query\"}");
        assertThat(ctx.encrypted).isFalse();
        assertThat(ctx.anomalies).isEmpty();
    }

    @Test
    void responseFirstFromTheOriginatorFlipsRolesAsZeekDoes() {
        RecordingContext ctx = udp(List.of(new Chunk(Direction.ORIG, aResponse(7), 5_000_000)));

        assertThat(ctx.flips).isEqualTo(1);
        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(r.id()).isEqualTo(new ConnId("10.0.0.2", 53, "10.0.0.1", 40000, "udp"));
        assertThat(r.rtt()).isNull();
        assertThat(r.qtype()).isNull();
        assertThat(r.query()).isEqualTo("www.example.com");
        assertThat(r.answers()).containsExactly("example.com", "93.184.216.34");
    }

    @Test
    void multicastResponsesAreNotFlipped() {
        RecordingContext ctx = new RecordingContext(new ConnId("10.0.0.9", 5353, "224.0.0.251", 5353, "udp"));
        AppAnalyzer a = DnsProtocol.overUdp().create(ctx);
        Feed.whole(a, List.of(new Chunk(Direction.ORIG, aResponse(0), 1)));
        assertThat(ctx.flips).isZero();
        assertThat(DnsAnalyzer.multicast("ff02::fb")).isTrue();
        assertThat(DnsAnalyzer.multicast("10.0.0.1")).isFalse();
    }

    @Test
    void duplicateResponseIsLoggedOnItsOwnAtTheEnd() {
        RecordingContext ctx = udp(List.of(new Chunk(Direction.ORIG, query(9, "a.example", 1), 1_000_000),
                new Chunk(Direction.RESP, aResponse(9), 1_000_214), new Chunk(Direction.RESP, aResponse(9), 1_000_300)));

        List<DnsRecord> rs = ctx.records(DnsRecord.class);
        assertThat(rs).hasSize(2);
        assertThat(rs.get(0).rtt()).isEqualTo(0.000214);
        assertThat(rs.get(0).qclassName()).isEqualTo("C_INTERNET");
        assertThat(rs.get(1).rtt()).isNull();
        assertThat(rs.get(1).qclass()).isNull();
        assertThat(rs.get(1).rd()).isFalse();
        assertThat(rs.get(1).ra()).isTrue();
        assertThat(rs.get(1).query()).isEqualTo("www.example.com");
    }

    @Test
    void unansweredQueryIsLoggedAtTheEnd() {
        RecordingContext ctx = udp(List.of(new Chunk(Direction.ORIG, query(3, "lonely.example", 28), 2_000_000)));
        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(r.qtypeName()).isEqualTo("AAAA");
        assertThat(r.rcode()).isNull();
        assertThat(r.answers()).isNull();
    }

    @Test
    void rejectedWhenTheResponseHasNoRecordsOrNoQuestion() {
        byte[] nx = DnsWire.header(4, QR | RD | RA | 3, 1, 0, 0, 0).question("nope.example", 1, 1).build();
        byte[] refused = DnsWire.header(5, QR | 5, 0, 0, 0, 0).build();
        RecordingContext ctx = udp(List.of(new Chunk(Direction.ORIG, query(4, "nope.example", 1), 1),
                new Chunk(Direction.RESP, nx, 2), new Chunk(Direction.RESP, refused, 3)));
        List<DnsRecord> rs = ctx.records(DnsRecord.class);
        assertThat(rs).extracting(DnsRecord::rcodeName).containsExactly("NXDOMAIN", "REFUSED");
        assertThat(rs).extracting(DnsRecord::rejected).containsExactly(true, true);
    }

    @Test
    void rendersEveryCommonRecordTypeAsZeekDoes() {
        DnsWire w = DnsWire.header(1, QR | AA, 1, 20, 0, 0).question("x.example", 255, 1);
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 1;
        w.rrAt(12, 28, 1, v6)
                .rrAt(12, 2, 2, DnsWire.data().name("ns1.example").build())
                .rrAt(12, 12, 3, DnsWire.data().name("ptr.example").build())
                .rrAt(12, 15, 4, DnsWire.data().u16(10).name("mx.example").build())
                .rrAt(12, 16, 5, DnsWire.data().u8(5).bytes("hello".getBytes()).u8(3).bytes("a b".getBytes()).build())
                .rrAt(12, 6, 6, DnsWire.data().name("mname.example").name("rname.example").u32(1).u32(2).u32(3)
                        .u32(4).u32(5).build())
                .rrAt(12, 33, 7, DnsWire.data().u16(20).u16(1).u16(5060).name("sip.example").build())
                .rrAt(12, 257, 8, DnsWire.data().u8(0).u8(5).bytes("issue".getBytes())
                        .bytes("letsencrypt.org".getBytes()).build())
                .rrAt(12, 65, 9, DnsWire.data().u16(1).name("").u16(1).u16(6).u8(2).bytes("h2".getBytes()).u8(2)
                        .bytes("h3".getBytes()).u16(4).u16(4).bytes(new byte[] {1, 2, 3, 4}).build())
                .rrAt(12, 64, 10, DnsWire.data().u16(2).name("svc.example").u16(3).u16(2).u16(8443).build())
                .rrAt(12, 43, 11, DnsWire.data().u16(2371).u8(13).u8(2).bytes(new byte[32]).build())
                .rrAt(12, 48, 12, DnsWire.data().u16(257).u8(3).u8(13).bytes(new byte[64]).build())
                .rrAt(12, 46, 13, DnsWire.data().u16(5).u8(13).u8(2).u32(300).u32(0).u32(0).u16(1)
                        .name("example").bytes(new byte[64]).build())
                .rrAt(12, 46, 14, DnsWire.data().u16(48).u8(8).u8(0).u32(300).u32(0).u32(0).u16(1)
                        .name("").bytes(new byte[8]).build())
                .rrAt(12, 47, 15, DnsWire.data().name("next.example").u8(0).u8(1).u8(0x40).build())
                .rrAt(12, 35, 16, DnsWire.data().u16(100).u16(10).u8(1).bytes("S".getBytes()).u8(7)
                        .bytes("SIP+D2U".getBytes()).u8(0).name("_sip._udp.example").build())
                .rrAt(12, 44, 17, DnsWire.data().u8(1).u8(1).bytes(new byte[] {(byte) 0xab, (byte) 0xcd}).build())
                .rrAt(12, 999, 18, new byte[] {1, 2})
                .rrAt(12, 41, 19, new byte[0])
                .rrAt(12, 11, 20, new byte[5]);
        RecordingContext ctx = udp(List.of(new Chunk(Direction.RESP, w.build(), 1)));

        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(ctx.anomalies).isEmpty();
        assertThat(r.answers()).containsExactly("2001:db8::1", "ns1.example", "ptr.example", "mx.example",
                "TXT 5 hello TXT 3 a b", "mname.example", "sip.example", "CAA 0 issue letsencrypt.org",
                "HTTPS 1 . alpn=h2,h3 ipv4hint=1.2.3.4", "SVCB 2 svc.example port=8443", "DS 13 2", "DNSKEY 13",
                "RRSIG 5 example", "RRSIG 48 <Root>", "NSEC x.example next.example",
                "NAPTR 100 10 S SIP+D2U _sip._udp.example", "SSHFP: abcd", "<unknown type=999>");
        assertThat(r.ttls()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        assertThat(r.aa()).isTrue();
        assertThat(r.qtypeName()).isNull();
    }

    static Stream<List<Chunk>> tcpConversation() {
        byte[] q1 = DnsWire.tcp(query(0x10, "one.example", 1));
        byte[] q2 = DnsWire.tcp(query(0x11, "two.example", 16));
        byte[] r1 = DnsWire.tcp(aResponse(0x10));
        byte[] r2 = DnsWire.tcp(DnsWire.header(0x11, QR, 1, 1, 0, 0).question("two.example", 16, 1)
                .rrAt(12, 16, 30, DnsWire.data().u8(2).bytes("ok".getBytes()).build()).build());
        List<Chunk> chunks = List.of(new Chunk(Direction.ORIG, DnsWire.concat(q1, q2), 1_000_000),
                new Chunk(Direction.RESP, DnsWire.concat(r1, r2), 1_100_000));
        List<List<Chunk>> variants = new ArrayList<>();
        variants.add(chunks);
        return variants.stream();
    }

    private static List<String> tcpRun(java.util.function.Consumer<AppAnalyzer> feed) {
        RecordingContext ctx = RecordingContext.tcp(53);
        AppAnalyzer a = DnsProtocol.overTcp().create(ctx);
        feed.accept(a);
        a.end(2_000_000);
        assertThat(ctx.anomalies).isEmpty();
        return ctx.json();
    }

    @ParameterizedTest
    @MethodSource("tcpConversation")
    void tcpMessagesParseTheSameWholeSplitAtEveryOffsetAndByteByByte(List<Chunk> chunks) {
        List<String> whole = tcpRun(a -> Feed.whole(a, chunks));
        assertThat(whole).hasSize(2);
        assertThat(whole.get(1)).contains("\"answers\":[\"TXT 2 ok\"]").contains("\"proto\":\"tcp\"");
        assertThat(tcpRun(a -> Feed.pieces(a, chunks, 1))).isEqualTo(whole);
        for (int[] cut : Feed.everyCut(chunks)) {
            assertThat(tcpRun(a -> Feed.splitAt(a, chunks, cut[0], cut[1]))).as("cut %s", cut).isEqualTo(whole);
        }
    }

    @Test
    void tcpGapStopsThatDirection() {
        RecordingContext ctx = RecordingContext.tcp(53);
        AppAnalyzer a = DnsProtocol.overTcp().create(ctx);
        Feed.whole(a, List.of(new Chunk(Direction.ORIG, DnsWire.tcp(query(1, "a.b", 1)), 1)));
        a.gap(Direction.RESP, 100);
        Feed.whole(a, List.of(new Chunk(Direction.RESP, DnsWire.tcp(aResponse(1)), 2)));
        a.end(3);
        assertThat(ctx.records(DnsRecord.class)).singleElement().extracting(DnsRecord::rcode).isNull();
    }
}
