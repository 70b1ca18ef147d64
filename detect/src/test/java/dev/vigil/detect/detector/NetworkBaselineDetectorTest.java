package dev.vigil.detect.detector;

import static dev.vigil.detect.detector.Lab.API;
import static dev.vigil.detect.detector.Lab.DB;
import static dev.vigil.detect.detector.Lab.DB_0;
import static dev.vigil.detect.detector.Lab.GITHUB;
import static dev.vigil.detect.detector.Lab.KUBE_DNS;
import static dev.vigil.detect.detector.Lab.NODE;
import static dev.vigil.detect.detector.Lab.POOL;
import static dev.vigil.detect.detector.Lab.T0;
import static dev.vigil.detect.detector.Lab.WEB;
import static dev.vigil.detect.detector.Lab.WEB_1;
import static dev.vigil.detect.detector.Lab.WEB_2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.detect.rules.fields.NetContext;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.ConnId;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkBaselineDetectorTest {

    private final Baselines baselines = Lab.baselines();
    private final DnsNames names = new DnsNames();
    private final Lab.Collected out = new Lab.Collected();
    private NetworkDetectors detectors;

    @BeforeEach
    void learnTheShop() {
        detectors = new NetworkDetectors(NetworkDetectorConfig.defaults()
                .withApiServerEndpoints(Set.of("192.168.50.9:6443")), baselines, names, Lab.alerts());
        record(Lab.a(T0, WEB_1, "api.github.com", "203.0.113.10"), WEB_1, KUBE_DNS);
        record(Lab.udp(T0, WEB_1, KUBE_DNS, 53, "dns", 1), WEB_1, KUBE_DNS);
        record(Lab.tcp(T0 + 1, WEB_1, GITHUB, 443, "ssl", true), WEB_1, GITHUB);
        record(Lab.tcp(T0 + 1, WEB_1, DB_0, 5432, "postgresql", false), WEB_1, DB_0);
        record(Lab.tcp(T0 + 2, WEB_2, WEB_1, 8080, "http", false), WEB_2, WEB_1);
        assertThat(out.alerts).isEmpty();
        baselines.setMode(WEB, Mode.MONITOR, (long) ((T0 + 3) * 1e9));
        baselines.setMode(DB, Mode.MONITOR, (long) ((T0 + 3) * 1e9));
    }

    private final NetContext ctx = new NetContext();

    private void record(dev.vigil.model.record.LogRecord r, Endpoint orig, Endpoint resp) {
        detectors.record(ctx.bind(r, orig, resp, null, null), out);
    }

    @Test
    void whatWasLearnedRaisesNothing() {
        record(Lab.a(T0 + 10, WEB_2, "api.github.com", "203.0.113.10"), WEB_2, KUBE_DNS);
        record(Lab.tcp(T0 + 10, WEB_2, GITHUB, 443, "ssl", true), WEB_2, GITHUB);
        record(Lab.tcp(T0 + 10, WEB_2, DB_0, 5432, "postgresql", false), WEB_2, DB_0);
        record(Lab.tcp(T0 + 10, WEB_1, DB_0, 5432, null, null), WEB_1, DB_0);
        record(Lab.tcp(T0 + 10, WEB_1, WEB_2, 8080, "http", false), WEB_1, WEB_2);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void egressToANewExternalPeerIsNamedByThePodsOwnDnsAnswer() {
        record(Lab.a(T0 + 10, WEB_1, "pool.evil.example", "203.0.113.66"), WEB_1, KUBE_DNS);
        out.clear();
        record(Lab.tcp(T0 + 11, WEB_1, POOL, 9001, null, null), WEB_1, POOL);
        Alert a = out.alerts.getFirst();
        assertThat(out.alerts).hasSize(1);
        assertThat(a.rule()).isEqualTo("Unexpected egress");
        assertThat(a.output()).isEqualTo("Unexpected egress from shop/web-7d9c-x1 to pool.evil.example"
                + " (203.0.113.66:9001/tcp); not in the baseline of Deployment shop/web (monitor mode)");
        assertThat(a.workload()).isEqualTo(WEB);
        assertThat(a.peer()).isEqualTo("external:pool.evil.example");
        assertThat(a.outputFields()).containsEntry("k8s.ns.name", "shop").containsEntry("k8s.pod.name", "web-7d9c-x1")
                .containsEntry("fd.sip", "203.0.113.66").containsEntry("fd.sport", 9001L)
                .containsEntry("fd.sip.name", "pool.evil.example").containsEntry("vigil.peer.kind", "external");
        assertThat(a.mitre()).extracting(m -> m.technique()).containsExactly("T1071", "T1041");
        assertThat(a.evidence()).singleElement().asString().contains("\"log\":\"conn\"", "\"id.resp_p\":9001");
        assertThat(out.decisions).isEmpty();
    }

    @Test
    void anUnnamedExternalAddressIsNamedByItsAddress() {
        record(Lab.tcp(T0 + 11, WEB_1, new Endpoint.External("198.51.100.7", null), 443, "ssl", true), WEB_1,
                new Endpoint.External("198.51.100.7", null));
        assertThat(out.alerts).singleElement().satisfies(a -> {
            assertThat(a.output()).startsWith("Unexpected egress from shop/web-7d9c-x1 to 198.51.100.7:443/tcp;");
            assertThat(a.outputFields()).doesNotContainKey("fd.sip.name");
        });
    }

    @Test
    void theApiServerIsRecognisedByServiceNodePortEndpointAndTlsName() {
        record(Lab.tcp(T0 + 11, WEB_1, API, 443, "ssl", true), WEB_1, API);
        record(Lab.tcp(T0 + 11, WEB_1, NODE, 6443, "ssl", true), WEB_1, NODE);
        Endpoint.External endpoint = new Endpoint.External("192.168.50.9", null);
        record(Lab.tcp(T0 + 11, WEB_1, endpoint, 6443, "ssl", true), WEB_1, endpoint);
        record(Lab.ssl(T0 + 11, WEB_1, new Endpoint.External("192.168.50.77", null), 8443, "TLSv13",
                "kubernetes.default.svc", true), WEB_1, new Endpoint.External("192.168.50.77", null));
        assertThat(out.alerts).extracting(Alert::rule).containsOnly("Unexpected Kubernetes API contact").hasSize(4);
        assertThat(out.alerts.getFirst().output()).isEqualTo("Unexpected Kubernetes API contact from shop/web-7d9c-x1"
                + " to kubernetes (10.96.0.1:443/tcp); not in the baseline of Deployment shop/web (monitor mode)");
        assertThat(out.alerts).extracting(Alert::peer).containsOnly("kube-api:kubernetes");
        assertThat(out.alerts.getFirst().mitre().getFirst().technique()).isEqualTo("T1613");
    }

    @Test
    void aWorkloadThatTalksToTheApiServerNormallyIsQuiet() {
        baselines.setMode(WEB, Mode.LEARN, (long) ((T0 + 5) * 1e9));
        record(Lab.tcp(T0 + 6, WEB_1, API, 443, "ssl", true), WEB_1, API);
        baselines.setMode(WEB, Mode.MONITOR, (long) ((T0 + 7) * 1e9));
        record(Lab.tcp(T0 + 8, WEB_2, API, 443, "ssl", true), WEB_2, API);
        record(Lab.ssl(T0 + 8, WEB_2, API, 443, "TLSv13", "kubernetes.default.svc.cluster.local", true), WEB_2, API);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void aNewPeerInsideTheClusterAndANewApplicationToAKnownPeer() {
        Endpoint.Pod other = new Endpoint.Pod("10.244.0.41", "ops", "redis-0",
                new dev.vigil.model.identity.WorkloadRef("ops", "StatefulSet", "redis"), "node-1");
        record(Lab.tcp(T0 + 11, WEB_1, other, 6379, "redis", false), WEB_1, other);
        record(Lab.tcp(T0 + 12, WEB_1, DB_0, 5432, "ssh", false), WEB_1, DB_0);
        assertThat(out.alerts).extracting(Alert::rule).containsExactly("Unexpected network peer", "Unexpected network peer");
        assertThat(out.alerts.get(0).output()).startsWith("Unexpected network peer from shop/web-7d9c-x1 to ops/redis-0"
                + " (10.244.0.41:6379/tcp);");
        assertThat(out.alerts.get(0).peer()).isEqualTo("workload:ops/redis");
        assertThat(out.alerts.get(1).output()).contains("; application ssh is new for this peer; not in the baseline");
    }

    @Test
    void aNewListeningPortCountsOnlyWhenTheResponderAnswered() {
        record(Lab.unanswered(T0 + 11, WEB_2, WEB_1, 4444), WEB_2, WEB_1);
        assertThat(out.alerts).extracting(Alert::rule).containsExactly("Unexpected network peer");
        out.clear();
        record(Lab.tcp(T0 + 12, WEB_2, WEB_1, 4444, null, null), WEB_2, WEB_1);
        assertThat(out.alerts).extracting(Alert::rule).containsExactly("Unexpected network peer", "Unexpected listening port");
        assertThat(out.alerts.get(1).output()).isEqualTo("Unexpected listening port in shop/web-7d9c-x1 on 4444/tcp from"
                + " shop/web-7d9c-x2; not in the baseline of Deployment shop/web (monitor mode)");
        assertThat(out.alerts.get(1).workload()).isEqualTo(WEB);
    }

    @Test
    void aNewDnsNameIsReported() {
        record(Lab.a(T0 + 11, WEB_1, "c2.evil.example", "203.0.113.99"), WEB_1, KUBE_DNS);
        assertThat(out.alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("Unexpected DNS name");
            assertThat(a.output()).isEqualTo("Unexpected DNS name from shop/web-7d9c-x1 resolved c2.evil.example;"
                    + " not in the baseline of Deployment shop/web (monitor mode)");
        });
    }

    @Test
    void protectModeAsksToBlockTheConnectionInsideThePod() {
        baselines.setMode(WEB, Mode.PROTECT, (long) ((T0 + 5) * 1e9));
        var conn = Lab.tcp(T0 + 11, WEB_1, POOL, 9001, null, null);
        record(conn, WEB_1, POOL);
        assertThat(out.decisions).singleElement().isInstanceOfSatisfying(Decision.BlockConnection.class, d -> {
            assertThat(d.namespace()).isEqualTo("shop");
            assertThat(d.pod()).isEqualTo("web-7d9c-x1");
            assertThat(d.id()).isEqualTo(new ConnId("10.244.0.11", 40001, "203.0.113.66", 9001, "tcp"));
            assertThat(d.peer()).isEqualTo("203.0.113.66");
            assertThat(d.rule()).isEqualTo("Unexpected egress");
            assertThat(d.reason()).endsWith("(protect mode: blocking)");
        });
        assertThat(out.alerts).hasSize(1);
        record(Lab.tcp(T0 + 12, WEB_1, GITHUB, 443, "ssl", true), WEB_1, GITHUB);
        assertThat(out.decisions).hasSize(1);
    }

    @Test
    void unattributedTrafficIsNotBaselined() {
        Endpoint.External outside = new Endpoint.External("198.51.100.1", null);
        record(Lab.tcp(T0 + 11, outside, GITHUB, 443, "ssl", true), outside, GITHUB);
        record(Lab.tcp(T0 + 11, outside, NODE, 22, "ssh", true), outside, NODE);
        record(Lab.a(T0 + 11, outside, "x.example", "203.0.113.1"), outside, KUBE_DNS);
        assertThat(out.alerts).isEmpty();
    }
}
