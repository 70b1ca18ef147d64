package dev.vigil.detect.detector;

import static dev.vigil.detect.detector.Lab.DB_0;
import static dev.vigil.detect.detector.Lab.GITHUB;
import static dev.vigil.detect.detector.Lab.KUBE_DNS;
import static dev.vigil.detect.detector.Lab.PAY;
import static dev.vigil.detect.detector.Lab.PAY_0;
import static dev.vigil.detect.detector.Lab.POOL;
import static dev.vigil.detect.detector.Lab.T0;
import static dev.vigil.detect.detector.Lab.WEB;
import static dev.vigil.detect.detector.Lab.WEB_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.record.LogRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The network detectors that do not depend on a baseline: scans, plaintext, weak TLS, mining, SQL
 * injection and DNS tunnels, each with records that must and must not raise an alert. The shop's
 * baseline is in learn mode throughout, so baseline deviations never add to what is seen.
 */
class NetworkSignalsTest {

    private final Lab.Collected out = new Lab.Collected();
    private final NetworkDetectors detectors = new NetworkDetectors(
            NetworkDetectorConfig.defaults().withEncryptedNamespaces(Set.of("vault")), Lab.baselines(), new DnsNames(),
            Lab.alerts());

    private List<Alert> run(LogRecord r, Endpoint orig, Endpoint resp, Map<String, String> labels) {
        out.clear();
        detectors.record(r, orig, resp, labels, out);
        return out.alerts;
    }

    private List<Alert> run(LogRecord r, Endpoint orig, Endpoint resp) {
        return run(r, orig, resp, null);
    }

    @Test
    void scansAreAttributedToTheScanningPodAndItsWorkload() {
        NoticeRecord n = Lab.notice(T0, "Scan::Port_Scan", WEB_1, "10.244.0.21", null, 15);
        assertThat(run(n, WEB_1, DB_0)).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("Port scan");
            assertThat(a.output()).isEqualTo("Port scan from shop/web-7d9c-x1 (workload shop/web) to 10.244.0.21;"
                    + " 10.244.0.11 scanned at least 15 unique ports of host 10.244.0.21 in 0m3s");
            assertThat(a.workload()).isEqualTo(WEB);
            assertThat(a.peer()).isEqualTo("10.244.0.21");
            assertThat(a.subject()).isEqualTo("10.244.0.11");
            assertThat(a.outputFields()).containsEntry("vigil.scan.count", 15L).containsEntry("k8s.pod.name", "web-7d9c-x1");
            assertThat(a.mitre()).extracting(m -> m.technique()).containsExactly("T1046");
        });
        assertThat(run(Lab.notice(T0, "Scan::Address_Scan", WEB_1, null, 22, 25), WEB_1, null))
                .singleElement().satisfies(a -> {
                    assertThat(a.rule()).isEqualTo("Address scan");
                    assertThat(a.output()).startsWith("Address scan from shop/web-7d9c-x1 (workload shop/web) to many hosts port 22;");
                });
        assertThat(run(Lab.notice(T0, "Scan::Ping_Sweep", WEB_1, null, null, 25), WEB_1, null))
                .extracting(Alert::rule).containsExactly("Ping sweep");
        Endpoint.External outside = new Endpoint.External("198.51.100.4", null);
        assertThat(run(Lab.notice(T0, "Scan::Port_Scan", outside, "10.244.0.21", null, 15), outside, DB_0))
                .singleElement().satisfies(a -> {
                    assertThat(a.output()).startsWith("Port scan from 198.51.100.4 to 10.244.0.21;");
                    assertThat(a.workload()).isNull();
                });
        assertThat(run(Lab.notice(T0, "SSL::Invalid_Server_Cert", WEB_1, "10.244.0.21", 443, 1), WEB_1, DB_0)).isEmpty();
    }

    @Test
    void plaintextIntoANamespaceThatRequiresEncryption() {
        Map<String, String> required = Map.of("vigil.dev/encryption", "required");
        assertThat(run(Lab.tcp(T0, WEB_1, PAY_0, 8080, "http", false), WEB_1, PAY_0, required)).singleElement()
                .satisfies(a -> {
                    assertThat(a.rule()).isEqualTo("Plaintext traffic into encrypted namespace");
                    assertThat(a.priority()).isEqualTo(Priority.ERROR);
                    assertThat(a.output()).isEqualTo("Plaintext traffic into encrypted namespace payments from"
                            + " shop/web-7d9c-x1 to payments/api-5f6-q (10.244.0.31:8080/tcp); http in clear; namespace"
                            + " payments is labelled vigil.dev/encryption=required");
                    assertThat(a.workload()).isEqualTo(WEB);
                });
        assertThat(run(Lab.tcp(T0, WEB_1, PAY_0, 8443, "ssl", true), WEB_1, PAY_0, required)).isEmpty();
        assertThat(run(Lab.tcp(T0, WEB_1, PAY_0, 9000, null, null), WEB_1, PAY_0, required)).as("unknown").isEmpty();
        assertThat(run(Lab.tcp(T0, WEB_1, PAY_0, 8080, "http", false), WEB_1, PAY_0, Map.of())).isEmpty();
        assertThat(run(Lab.tcp(T0, WEB_1, PAY_0, 8080, "http", false), WEB_1, PAY_0,
                Map.of("vigil.dev/encryption", "optional"))).isEmpty();
        assertThat(run(Lab.udp(T0, WEB_1, PAY_0, 53, "dns", 1), WEB_1, PAY_0, required)).as("DNS is exempt").isEmpty();
        Endpoint.Pod vault = new Endpoint.Pod("10.244.0.51", "vault", "vault-0", null, "node-1");
        assertThat(run(Lab.tcp(T0, WEB_1, vault, 8200, "http", false), WEB_1, vault)).singleElement()
                .satisfies(a -> assertThat(a.output()).endsWith("namespace vault requires encryption by configuration"));
        assertThat(run(Lab.tcp(T0, WEB_1, GITHUB, 80, "http", false), WEB_1, GITHUB, required)).as("no namespace").isEmpty();
    }

    @Test
    void tlsOlderThan12() {
        assertThat(run(Lab.ssl(T0, WEB_1, PAY_0, 8443, "TLSv10", "api.payments.svc", true), WEB_1, PAY_0))
                .singleElement().satisfies(a -> {
                    assertThat(a.rule()).isEqualTo("TLS older than 1.2");
                    assertThat(a.output()).isEqualTo("TLS older than 1.2 from shop/web-7d9c-x1 to api.payments.svc"
                            + " (10.244.0.31:8443/tcp); TLSv10 negotiated with TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
                    assertThat(a.outputFields()).containsEntry("ssl.version", "TLSv10");
                });
        assertThat(run(Lab.ssl(T0, WEB_1, PAY_0, 8443, "SSLv3", null, true), WEB_1, PAY_0)).singleElement()
                .satisfies(a -> assertThat(a.output()).contains("to payments/api-5f6-q (10.244.0.31:8443/tcp); SSLv3"));
        assertThat(run(Lab.ssl(T0, WEB_1, PAY_0, 8443, "TLSv11", null, false), WEB_1, PAY_0)).as("refused").isEmpty();
        assertThat(run(Lab.ssl(T0, WEB_1, PAY_0, 8443, "TLSv12", null, true), WEB_1, PAY_0)).isEmpty();
        assertThat(run(Lab.ssl(T0, WEB_1, PAY_0, 8443, "TLSv13", null, true), WEB_1, PAY_0)).isEmpty();
    }

    @Test
    void miningByProtocolPoolNameAndPoolPort() {
        assertThat(run(Lab.stratum(T0, WEB_1, POOL, 3333, "login"), WEB_1, POOL)).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("Crypto mining protocol");
            assertThat(a.priority()).isEqualTo(Priority.CRITICAL);
            assertThat(a.output()).startsWith("Crypto mining protocol from shop/web-7d9c-x1 to 203.0.113.66:3333/tcp;"
                    + " Stratum login by XMRig/6.21.0 as 44AFFq5k");
            assertThat(a.mitre()).extracting(m -> m.technique()).containsExactly("T1496");
        });
        assertThat(run(Lab.stratum(T0, WEB_1, POOL, 3333, "mining.subscribe"), WEB_1, POOL)).hasSize(1);
        assertThat(run(Lab.stratum(T0, WEB_1, POOL, 3333, "mining.submit"), WEB_1, POOL)).isEmpty();

        for (String pool : List.of("xmr.pool.minergate.com", "pool.supportxmr.com", "gulf.moneroocean.stream",
                "xmr-eu1.nanopool.org", "moneropool.example", "POOL.Evil.Example.")) {
            assertThat(run(Lab.a(T0, WEB_1, pool, "203.0.113.66"), WEB_1, KUBE_DNS)).as(pool)
                    .extracting(Alert::rule).containsExactly("Crypto mining pool name");
        }
        assertThat(out.alerts.getFirst().output()).isEqualTo("Crypto mining pool name from shop/web-7d9c-x1 resolved"
                + " pool.evil.example.; a mining pool's name");
        for (String benign : List.of("pool.ntp.org", "2.debian.pool.ntp.org", "api.github.com", "pool", "poolside.ai",
                "carpet.example")) {
            assertThat(run(Lab.a(T0, WEB_1, benign, "203.0.113.5"), WEB_1, KUBE_DNS)).as(benign)
                    .noneMatch(a -> a.rule().startsWith("Crypto"));
        }
        assertThat(run(Lab.ssl(T0, WEB_1, POOL, 443, "TLSv13", "eu.pool.hashvault.pro", true), WEB_1, POOL))
                .extracting(Alert::rule).containsExactly("Crypto mining pool name");

        assertThat(run(Lab.tcp(T0, WEB_1, POOL, 14444, null, null), WEB_1, POOL)).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("Connection to a mining pool port");
            assertThat(a.priority()).isEqualTo(Priority.WARNING);
            assertThat(a.output()).endsWith("310 bytes sent to pool port 14444 in an unidentified protocol");
        });
        assertThat(run(Lab.tcp(T0, WEB_1, POOL, 3333, "http", false), WEB_1, POOL)).isEmpty();
        assertThat(run(Lab.unanswered(T0, WEB_1, POOL, 3333), WEB_1, POOL)).as("no data").isEmpty();
        assertThat(run(Lab.tcp(T0, WEB_1, DB_0, 5555, null, null), WEB_1, DB_0)).as("inside the cluster").isEmpty();
    }

    @Test
    void sqlInjectionInRequestsIsTheServersAndInQueriesTheClients() {
        var attack = Lab.http(T0, new Endpoint.External("198.51.100.4", null), WEB_1, "GET",
                "/products?id=1 UNION SELECT username,password FROM users--", null);
        assertThat(run(attack, new Endpoint.External("198.51.100.4", null), WEB_1)).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("SQL injection in HTTP request");
            assertThat(a.output()).isEqualTo("SQL injection in HTTP request to shop/web-7d9c-x1 from 198.51.100.4;"
                    + " union select in \"1 UNION SELECT username,password FROM users--\" (GET /products?id=1 UNION"
                    + " SELECT username,password FROM users--)");
            assertThat(a.workload()).isEqualTo(WEB);
            assertThat(a.outputFields()).containsEntry("http.method", "GET").containsEntry("vigil.sqli", "union select");
        });
        assertThat(run(Lab.http(T0, WEB_1, PAY_0, "POST", "/login", "user=admin%27--&pass=x"), WEB_1, PAY_0))
                .singleElement().satisfies(a -> assertThat(a.workload()).isEqualTo(PAY));
        assertThat(run(Lab.http(T0, WEB_1, PAY_0, "GET", "/search?q=O%27Brien&page=2", null), WEB_1, PAY_0)).isEmpty();

        assertThat(run(Lab.pg(T0, WEB_1, DB_0, "simple_query", "SELECT * FROM users WHERE name = '' OR '1'='1'"), WEB_1,
                DB_0)).singleElement().satisfies(a -> {
                    assertThat(a.rule()).isEqualTo("SQL injection in database query");
                    assertThat(a.output()).isEqualTo("SQL injection in database query from shop/web-7d9c-x1 to shop/db-0"
                            + " (10.244.0.21:5432/tcp); tautology in \"SELECT * FROM users WHERE name = '' OR '1'='1'\"");
                    assertThat(a.workload()).isEqualTo(WEB);
                });
        assertThat(run(Lab.pg(T0, WEB_1, DB_0, "startup", "' OR '1'='1"), WEB_1, DB_0)).as("not SQL").isEmpty();
        assertThat(run(Lab.pg(T0, WEB_1, DB_0, "simple_query", "SELECT now()"), WEB_1, DB_0)).isEmpty();
        assertThat(run(Lab.mysql(T0, WEB_1, DB_0, "query", "SELECT * FROM items WHERE id = 1; DROP TABLE users"), WEB_1,
                DB_0)).extracting(a -> a.outputFields().get("vigil.sqli")).containsExactly("stacked query");
        assertThat(run(Lab.mysql(T0, WEB_1, DB_0, "init_db", "x' OR 1=1"), WEB_1, DB_0)).isEmpty();
        assertThat(run(Lab.mysql(T0, WEB_1, DB_0, "query", "show databases"), WEB_1, DB_0)).isEmpty();
    }

    @Test
    void dnsTunnelsAreReportedOncePerWindowWithTheirMeasure() {
        SplittableRandom random = new SplittableRandom(9);
        int alerts = 0;
        for (int i = 0; i < 40; i++) {
            run(Lab.dns(T0 + i * 0.1, WEB_1, DnsTunnellingTest.tunnelQuery(random, "t.evil.example"), 16, "TXT", List.of()),
                    WEB_1, KUBE_DNS);
            for (Alert a : out.alerts) {
                if (a.rule().equals("DNS tunnelling")) {
                    alerts++;
                    assertThat(a.peer()).isEqualTo("evil.example");
                    assertThat(a.output()).startsWith("DNS tunnelling from shop/web-7d9c-x1 through evil.example; ");
                }
            }
        }
        assertThat(alerts).as("high entropy and TXT burst, once each").isEqualTo(2);
        for (int i = 0; i < 40; i++) {
            assertThat(run(Lab.a(T0 + i, WEB_1, "api.github.com", "203.0.113.10"), WEB_1, KUBE_DNS)).isEmpty();
        }
    }
}
