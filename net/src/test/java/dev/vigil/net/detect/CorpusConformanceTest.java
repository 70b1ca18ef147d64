package dev.vigil.net.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.Http2Record;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.net.SmtpRecord;
import dev.vigil.model.net.WeirdRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Direction;
import dev.vigil.net.analysis.CorpusRun;
import dev.vigil.net.analysis.RecordingSink;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The facts of {@code ../shared/corpora/pcaps/INDEX.md} for protocol detection, HTTP/1.x, HTTP/2 and
 * DNS (and the negatives; SMTP for the CONNECT tunnel), checked on the corpus captures through the
 * network pipeline that {@code vigil pcap analyze} runs (readers, decoder, flow table, TCP reassembly)
 * with the real detector and analyzers. Where a Zeek Baseline exists, records are compared with it
 * field by field.
 */
class CorpusConformanceTest {

    private static final String ZEEK = "zeek/testing/btest/Baseline/";

    /**
     * Recognises a TLS record header after a CONNECT so the tunnel hand-over can be checked before
     * the TLS analyzer is in the registry; named {@code ssl} like it and placed after the registry, so
     * the real one wins once present.
     */
    private static final AppProtocol TLS_RECORD = new AppProtocol() {
        @Override
        public String name() {
            return "ssl";
        }

        @Override
        public boolean tcp() {
            return true;
        }

        @Override
        public Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort) {
            if (length < 3) {
                return Verdict.NEED_MORE;
            }
            return bytes.get(ValueLayout.JAVA_BYTE, offset) == 0x16 && bytes.get(ValueLayout.JAVA_BYTE, offset + 1) == 3
                    ? Verdict.MATCH : Verdict.NO_MATCH;
        }

        @Override
        public AppAnalyzer create(AppContext context) {
            return dev.vigil.net.analysis.NoAnalyzer.INSTANCE;
        }
    };

    private static final ProtocolDetector DETECTOR = withTlsRecords();

    private static ProtocolDetector withTlsRecords() {
        List<Protocols.Entry> entries = new ArrayList<>(Protocols.all());
        entries.add(new Protocols.Entry(TLS_RECORD));
        return new ProtocolDetector(entries, ProtocolDetector.DEFAULT_MAX_BUFFER_BYTES, ProtocolDetector.DEFAULT_MAX_CHUNKS,
                ProtocolDetector.DEFAULT_MAX_RESTARTS);
    }

    /** What the pipeline produced for one connection: its conn record and its application records. */
    record Connection(ConnRecord conn, List<LogRecord> records, List<String> weirds) {

        List<String> services() {
            return conn.service() == null ? List.of() : List.of(conn.service().split(","));
        }

        <T extends LogRecord> List<T> records(Class<T> type) {
            return records.stream().filter(type::isInstance).map(type::cast).toList();
        }

        ConnId id() {
            return conn.id();
        }
    }

    private static final java.util.regex.Pattern OURS =
            java.util.regex.Pattern.compile("(detect|http|http2|hpack|dns|smtp)_.*");

    private static List<Connection> all(String pcap) {
        RecordingSink sink = CorpusRun.run(CorpusRun.pcap(pcap), null, DETECTOR);
        return sink.conns().stream().map(c -> new Connection(c,
                sink.records.stream().filter(r -> !(r instanceof ConnRecord) && !(r instanceof WeirdRecord))
                        .filter(r -> c.uid().equals(uid(r))).toList(),
                sink.records.stream().filter(r -> r instanceof WeirdRecord w && c.uid().equals(w.uid()))
                        .map(r -> ((WeirdRecord) r).name()).filter(n -> OURS.matcher(n).matches()).toList()))
                .toList();
    }

    private static String uid(LogRecord r) {
        return ZeekLog.of(r).get("uid");
    }

    private static Connection only(String pcap) {
        List<Connection> connections = all(pcap);
        assertThat(connections).hasSize(1);
        return connections.getFirst();
    }

    @Test
    void bug814HttpOverVlanAndIpv6() {
        Connection ctx = only("suricata-verify/bug-814/input.pcap");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.host()).isEqualTo("www.net1.bg");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.uri()).isEqualTo("/cgi-bin/cart32.exe");
        assertThat(r.userAgent()).isEqualTo("Mozilla/4.75 (Nikto/2.1.4) (Evasions:None) (Test:000003)");
        assertThat(r.version()).isEqualTo("1.1");
        assertThat(r.requestBodyLen()).isZero();
        assertThat(ctx.services()).containsExactly("http");
        assertThat(ctx.conn().encrypted()).isFalse();
    }

    @Test
    void httpIpv6HostIsKeptAsSentWithItsPort() {
        Connection ctx = only("suricata-verify/http-ipv6/input.pcap");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.host()).isEqualTo("[::1]:8000").startsWith("[::1]");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ctx.weirds()).isEmpty();
    }

    @Test
    void optionsOnPort80IsHttpNotSip() {
        Connection ctx = only("suricata-verify/http-options-method/input.pcap");
        assertThat(ctx.id().origP()).isEqualTo(54321);
        assertThat(ctx.services()).containsExactly("http");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.method()).isEqualTo("OPTIONS");
        assertThat(r.host()).isEqualTo("example.com");
    }

    @Test
    void connectThenTlsIsHttpThenSsl() {
        Connection ctx = only("suricata-verify/http-connect_http-connect-tls/input.pcap");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.method()).isEqualTo("CONNECT");
        assertThat(r.version()).isEqualTo("1.1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ctx.services()).containsExactly("http", "ssl");
    }

    @Test
    void bug2430ConnectThroughAProxyOnPort8080() {
        Connection ctx = only("suricata-verify/bug-2430/backwards.pcap");
        assertThat(ctx.id().respH()).isEqualTo("10.123.173.114");
        assertThat(ctx.id().respP()).isEqualTo(8080);
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.method()).isEqualTo("CONNECT");
        assertThat(r.host()).isEqualTo("qagpublic.qg1.apps.qualys.com:443").startsWith("qagpublic.qg1.apps.qualys.com");
        assertThat(ctx.services()).containsExactly("http", "ssl");
    }

    @Test
    void h2cUpgradeCarriesOnInHttp2() {
        Connection ctx = only("suricata-verify/http2-upgrade/input.pcap");
        assertThat(ctx.weirds()).isEmpty();
        assertThat(ctx.services()).containsExactly("http", "http2");
        HttpRecord upgrade = ctx.records(HttpRecord.class).getFirst();
        assertThat(upgrade.uri()).isEqualTo("/robots.txt");
        assertThat(upgrade.statusCode()).isEqualTo(101);
        List<Http2Record> streams = ctx.records(Http2Record.class);
        assertThat(streams).extracting(Http2Record::streamId).containsExactly(1L, 3L);
        assertThat(streams.get(0)).satisfies(s -> {
            assertThat(s.authority()).isEqualTo("nghttp2.org");
            assertThat(s.path()).isEqualTo("/robots.txt");
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.method()).isEqualTo("GET");
        });
        assertThat(streams.get(1)).satisfies(s -> {
            assertThat(s.path()).isEqualTo("/humans.txt");
            assertThat(s.status()).isEqualTo(404);
        });
    }

    @Test
    void digQueryWithCnameAndTwoAddresses() {
        Connection ctx = only("suricata-verify/dns_dns-udp-eve-dig/input.pcap");
        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(ctx.records).hasSize(1);
        assertThat(r.transId()).isEqualTo(36146);
        assertThat(r.query()).isEqualTo("www.suricata-ids.org");
        assertThat(r.qtypeName()).isEqualTo("A");
        assertThat(r.rcodeName()).isEqualTo("NOERROR");
        assertThat(r.rd()).isTrue();
        assertThat(r.ra()).isTrue();
        assertThat(r.answers()).containsExactly("suricata-ids.org", "192.0.78.24", "192.0.78.25");
        assertThat(r.ttls()).containsExactly(3544, 244, 244);
        assertThat(r.id().origH()).isEqualTo("10.16.1.11");
    }

    @Test
    void srvAnswersAreTheirTargets() {
        Connection ctx = only("suricata-verify/dns_dns-udp-eve-log-srv/input.pcap");
        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(r.query()).isEqualTo("_sip._udp.sip.voice.google.com");
        assertThat(r.qtypeName()).isEqualTo("SRV");
        assertThat(r.answers()).containsExactly("sip-anycast-2.voice.google.com", "sip-anycast-1.voice.google.com");
    }

    @Test
    void dnsOverTcpPairsTheRequestAndTheResponse() {
        Connection ctx = only("suricata-verify/dns_dns-tcp-www-google-com/dns.pcap");
        assertThat(ctx.id().origH()).isEqualTo("10.16.1.11");
        assertThat(ctx.id().respH()).isEqualTo("8.8.4.4");
        assertThat(ctx.services()).containsExactly("dns");
        DnsRecord r = ctx.records(DnsRecord.class).getFirst();
        assertThat(ctx.records).hasSize(1);
        assertThat(r.id().proto()).isEqualTo("tcp");
        assertThat(r.query()).isEqualTo("www.google.com");
        assertThat(r.rcodeName()).isEqualTo("NOERROR");
        assertThat(r.answers()).isNotEmpty();
    }

    private static final List<String> HTTP_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "trans_depth", "method", "host", "uri", "referrer", "version", "user_agent", "request_body_len",
            "response_body_len", "status_code", "status_msg", "info_code", "info_msg");

    @Test
    void zeekPipelinedRequestsMatchTheBaseline() {
        Connection ctx = only("zeek/testing/btest/Traces/http/pipelined-requests.pcap");
        List<Map<String, String>> baseline = ZeekLog.read(CorpusRun.pcap(
                ZEEK + "scripts.base.protocols.http.http-pipelining/http.log"));
        assertThat(ctx.records(HttpRecord.class)).hasSize(baseline.size());
        for (int i = 0; i < baseline.size(); i++) {
            assertThat(ZeekLog.pick(ZeekLog.of(ctx.records(HttpRecord.class).get(i)), HTTP_FIELDS)).as("row %d", i)
                    .isEqualTo(ZeekLog.pick(baseline.get(i), HTTP_FIELDS));
        }
    }

    private static final List<String> SMTP_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
            "trans_depth", "helo", "mailfrom", "rcptto", "date", "from", "to", "cc", "reply_to", "msg_id", "in_reply_to",
            "subject", "x_originating_ip", "first_received", "second_received", "last_reply", "path", "user_agent", "tls");

    @Test
    void zeekConnectWithSmtpIsHttpThenSmtpAsInTheBaselines() {
        Connection ctx = only("zeek/testing/btest/Traces/http/connect-with-smtp.pcap");
        Map<String, String> http = ZeekLog.read(CorpusRun.pcap(
                ZEEK + "scripts.base.protocols.http.http-connect/http.log")).getFirst();
        assertThat(ZeekLog.pick(ZeekLog.of(ctx.records(HttpRecord.class).getFirst()), HTTP_FIELDS))
                .isEqualTo(ZeekLog.pick(http, HTTP_FIELDS));
        Map<String, String> smtp = ZeekLog.read(CorpusRun.pcap(
                ZEEK + "scripts.base.protocols.http.http-connect/smtp.log")).getFirst();
        assertThat(ctx.records(SmtpRecord.class)).hasSize(1);
        assertThat(ZeekLog.pick(ZeekLog.of(ctx.records(SmtpRecord.class).getFirst()), SMTP_FIELDS))
                .isEqualTo(ZeekLog.pick(smtp, SMTP_FIELDS));
        assertThat(ctx.conn().service()).isEqualTo(ZeekLog.read(CorpusRun.pcap(
                ZEEK + "scripts.base.protocols.http.http-connect/conn.log")).getFirst().get("service"));
    }

    private static final List<String> DNS_FIELDS = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
            "trans_id", "rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name", "AA", "TC",
            "RD", "RA", "Z", "answers", "TTLs", "rejected", "opcode", "opcode_name");

    private static void matchesZeek(Connection ctx, String baselineLog) {
        List<Map<String, String>> baseline = ZeekLog.read(CorpusRun.pcap(ZEEK + baselineLog));
        List<DnsRecord> records = ctx.records(DnsRecord.class);
        assertThat(records).hasSize(baseline.size());
        for (int i = 0; i < baseline.size(); i++) {
            assertThat(ZeekLog.pick(ZeekLog.of(records.get(i)), DNS_FIELDS)).as("row %d", i)
                    .isEqualTo(ZeekLog.pick(baseline.get(i), DNS_FIELDS));
        }
    }

    @Test
    void dns53ResponseFirstIsFlippedAsInZeek() {
        Connection ctx = only("zeek/testing/btest/Traces/dns53.pcap");
        matchesZeek(ctx, "scripts.base.protocols.dns.flip/dns.log");
        assertThat(ctx.records(DnsRecord.class).getFirst().answers()).hasSize(8);
    }

    @Test
    void duplicateResponsesMatchTheZeekBaseline() {
        matchesZeek(only("zeek/testing/btest/Traces/dns-two-responses.pcap"),
                "scripts.base.protocols.dns.duplicate-reponses/dns.log");
    }

    @Test
    void httpOnThePostgresqlPortIsHttpNotPostgresql() {
        Connection ctx = only("zeek/testing/btest/Traces/postgresql/http-on-port-5432.pcap");
        assertThat(ctx.id().respP()).isEqualTo(5432);
        assertThat(ctx.services()).containsExactly("http").doesNotContain("postgresql");
        assertThat(ctx.records(HttpRecord.class).getFirst().uri()).isEqualTo("/download/CHANGES.bro-aux.txt");
    }

    @Test
    void mysqlOnThePostgresqlPortIsNotPostgresql() {
        Connection ctx = only("zeek/testing/btest/Traces/postgresql/mysql-on-port-5432.pcap");
        assertThat(ctx.id().respP()).isEqualTo(5432);
        assertThat(ctx.services()).doesNotContain("postgresql", "http", "http2", "dns");
    }

    @Test
    void ndpiHttpToGoogle() {
        Connection ctx = only("ndpi/pcap/http.pcapng");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.host()).isEqualTo("google.com");
        assertThat(r.uri()).isEqualTo("/");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.userAgent()).isEqualTo("curl/7.68.0");
        assertThat(ctx.conn().encrypted()).isFalse();
    }

    @Test
    void ndpiHttpOnTheSipPort() {
        Connection ctx = only("ndpi/pcap/http_on_sip_port.pcap");
        assertThat(ctx.id().origP()).isEqualTo(5060);
        assertThat(ctx.services()).containsExactly("http");
        HttpRecord r = ctx.records(HttpRecord.class).getFirst();
        assertThat(r.host()).isEqualTo("45.58.148.2");
        assertThat(r.uri()).isEqualTo("/star-123456/index.m3u8?token=89b198b8844824ca15b8b379c26fc1b7dfcba368-5KUJTJ5Y73AGIAOV"
                + "-1618753174-1618742374");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.userAgent()).isEqualTo("exoplayer-codelab");
    }

    @Test
    void ndpiHttp2PriorKnowledgeIsCleartextHttp2() {
        Connection ctx = only("ndpi/pcap/http2.pcapng");
        assertThat(ctx.services()).containsExactly("http2");
        assertThat(ctx.conn().encrypted()).isFalse();
        assertThat(ctx.weirds()).isEmpty();
        assertThat(ctx.records(Http2Record.class)).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isNotNull());
    }

    @Test
    void ndpiDnsFlowThatStartsWithAResponse() {
        Connection google = connection("ndpi/pcap/dns.pcap", "192.168.170.8");
        assertThat(google.services()).containsExactly("dns");
        assertThat(google.conn().encrypted()).isFalse();
        assertThat(google.id().respP()).isEqualTo(53);
        assertThat(google.records(DnsRecord.class)).extracting(DnsRecord::query)
                .containsExactlyInAnyOrder("www.l.google.com", "www.example.com");
    }

    /** The other flow of ndpi's dns.pcap travels in PPPoE inside two VLAN tags. */
    @Test
    void ndpiDnsFlowInsidePppoe() {
        assertThat(all("ndpi/pcap/dns.pcap")).hasSize(2);
        Connection whatsapp = connection("ndpi/pcap/dns.pcap", "82.178.113.245");
        assertThat(whatsapp.services()).containsExactly("dns");
        assertThat(whatsapp.conn().encrypted()).isFalse();
        assertThat(whatsapp.conn().vlan()).isEqualTo(421);
        assertThat(whatsapp.conn().innerVlan()).isEqualTo(785);
        assertThat(whatsapp.weirds()).isEmpty();
        DnsRecord r = whatsapp.records(DnsRecord.class).getFirst();
        assertThat(r.query()).isEqualTo("e7.whatsapp.net");
        assertThat(r.answers()).startsWith("169.45.219.235").hasSize(8);
    }

    private static Connection connection(String pcap, String origH) {
        return all(pcap).stream().filter(c -> c.id().origH().equals(origH)).findFirst().orElseThrow();
    }
}
