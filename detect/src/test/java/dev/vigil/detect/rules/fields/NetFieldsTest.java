package dev.vigil.detect.rules.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.expr.ConditionCompiler;
import dev.vigil.detect.rules.expr.ConditionException;
import dev.vigil.detect.rules.expr.ConditionParser;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.record.LogRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetFieldsTest {

    private static final FieldSource<NetContext> SOURCE = NetFields.SOURCE;

    private final NetContext ctx = new NetContext();

    private static final ConnRecord CONN = new ConnRecord(1.5, "CAbc", new ConnId("10.244.1.5", 41000, "10.96.0.10", 53, "udp"),
            "dns", null, 40, 120, "SF", 0, "Dd", 1, 68, 1, 148, "1:xyz", 12, -1, false);

    private boolean holds(String condition, LogRecord record, Endpoint orig, Endpoint peer) throws ConditionException {
        ConditionCompiler.Result<NetContext> r = ConditionCompiler.compile(ConditionParser.parse(condition), SOURCE);
        assertThat(r.missingFields()).as(condition).isEmpty();
        return r.cond().test(ctx.bind(record, orig, peer, Map.of("team", "shop"), Map.of("vigil.dev/encryption", "required")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "evt.type = conn",
            "conn.uid = CAbc",
            "conn.id.orig_h = 10.244.1.5 and conn.id.orig_p = 41000",
            "conn.id.resp_h = 10.96.0.10 and conn.id.resp_p = 53",
            "conn.proto = udp",
            "conn.service = dns and conn.conn_state = SF and conn.history = Dd",
            "conn.orig_bytes = 40 and conn.resp_bytes > 100 and conn.orig_ip_bytes = 68",
            "conn.community_id = '1:xyz' and conn.vlan = 12 and not conn.inner_vlan exists",
            "conn.encrypted = false",
            "not conn.encrypted = true",
            "CONN.ID.RESP_P = 53",
            "not dns.query exists",
            "not notice.note = x",
            "k8s.ns.name = shop and k8s.pod.name = web-1 and k8s.workload.kind = Deployment and k8s.workload.name = web",
            "orig.type = pod and orig.name = shop/web-1",
            "peer.type = service and peer.k8s.svc.name = kube-dns and peer.k8s.ns.name = kube-system",
            "peer.name = svc:kube-system/kube-dns",
            "not peer.k8s.pod.name exists",
            "k8s.ns.label[team] = shop and peer.k8s.ns.label[vigil.dev/encryption] = required",
            "conn.orig_namespace = shop and conn.orig_pod = web-1 and conn.orig_workload = shop/web",
            "conn.orig_workload_kind = Deployment and not conn.orig_service exists",
            "conn.resp_namespace = kube-system and conn.resp_service = kube-dns and not conn.resp_pod exists",
            "not dns.resp_service exists",
    })
    void connFieldsAndIdentities(String condition) throws ConditionException {
        Endpoint client = new Endpoint.Pod("10.244.1.5", "shop", "web-1", new WorkloadRef("shop", "Deployment", "web"), "n1");
        Endpoint dns = new Endpoint.Service("10.96.0.10", "kube-system", "kube-dns");
        assertThat(holds(condition, CONN, client, dns)).isTrue();
    }

    @Test
    void recordsOfOtherShapes() throws ConditionException {
        DnsRecord dns = new DnsRecord(1, "CDns", CONN.id(), 4711, 0.01, "x.example", 1, "C_INTERNET", 16, "TXT", 0,
                "NOERROR", true, false, false, true, 0, List.of("a", "b"), new long[] {60}, false, 0, "query");
        assertThat(holds("dns.query = x.example and dns.qtype = 16 and dns.qtype_name = TXT", dns, null, null)).isTrue();
        assertThat(holds("dns.AA = true and dns.RD = false and dns.trans_id = 4711 and dns.rcode_name = NOERROR",
                dns, null, null)).as("Zeek's capitals").isTrue();
        assertThat(holds("dns.answers = b and dns.answers in (z, a)", dns, null, null)).as("any answer").isTrue();
        assertThat(holds("not conn.uid exists", dns, null, null)).isTrue();
        assertThat(holds("peer.dns exists", dns, new Endpoint.External("1.1.1.1", null),
                new Endpoint.External("203.0.113.5", "pool.example"))).isTrue();
        NoticeRecord notice = new NoticeRecord(1, null, null, "Scan::Ping_Sweep", "m", "10.0.0.1", null, null, 30);
        assertThat(holds("notice.note = Scan::Ping_Sweep and notice.n >= 30 and not notice.p exists"
                + " and not notice.id.orig_h exists", notice, null, null)).isTrue();
    }

    @Test
    void decimalsAndArraysAreNotFields() {
        assertThat(SOURCE.resolve("conn.duration", null)).isNull();
        assertThat(SOURCE.resolve("dns.rtt", null)).isNull();
        assertThat(SOURCE.resolve("dns.ttls", null)).isNull();
        assertThat(SOURCE.resolve("conn.ts", null)).isNull();
    }

    @Test
    void fieldsKnowTheirLogSoRulesAreIndexedByIt() {
        assertThat(SOURCE.resolve("conn.id.resp_p", null).bucket()).isEqualTo("conn");
        assertThat(SOURCE.resolve("dns.query", null).bucket()).isEqualTo("dns");
        assertThat(SOURCE.resolve("peer.k8s.ns.name", null).bucket()).isNull();
        assertThat(SOURCE.definitions()).allSatisfy(d -> assertThat(d.description()).isNotBlank());
        assertThat(SOURCE.producedBuckets()).contains("conn", "notice", "weird", "dns");
    }

    @Test
    void snakeCaseAsZeek() {
        assertThat(NetFields.snake("origH")).isEqualTo("orig_h");
        assertThat(NetFields.snake("userAgent")).isEqualTo("user_agent");
        assertThat(NetFields.snake("qclassName")).isEqualTo("qclass_name");
        assertThat(NetFields.snake("uid")).isEqualTo("uid");
    }
}
