package dev.vigil.detect.detector;

import dev.vigil.detect.alert.AlertFactory;
import dev.vigil.detect.baseline.BaselineConfig;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.model.net.StratumRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small cluster as the network sensor and enrichment see it, and records as the analyzers write
 * them: the shop namespace with a web Deployment, a db StatefulSet, the API server, kube-dns, and the
 * simulated internet on 203.0.113.0/24.
 */
final class Lab {

    static final double T0 = 1_764_000_000.0;
    static final WorkloadRef WEB = new WorkloadRef("shop", "Deployment", "web");
    static final WorkloadRef DB = new WorkloadRef("shop", "StatefulSet", "db");
    static final WorkloadRef PAY = new WorkloadRef("payments", "Deployment", "api");
    static final Endpoint.Pod WEB_1 = new Endpoint.Pod("10.244.0.11", "shop", "web-7d9c-x1", WEB, "node-1");
    static final Endpoint.Pod WEB_2 = new Endpoint.Pod("10.244.0.12", "shop", "web-7d9c-x2", WEB, "node-1");
    static final Endpoint.Pod DB_0 = new Endpoint.Pod("10.244.0.21", "shop", "db-0", DB, "node-1");
    static final Endpoint.Pod PAY_0 = new Endpoint.Pod("10.244.0.31", "payments", "api-5f6-q", PAY, "node-1");
    static final Endpoint.Service API = new Endpoint.Service("10.96.0.1", "default", "kubernetes");
    static final Endpoint.Service KUBE_DNS = new Endpoint.Service("10.96.0.10", "kube-system", "kube-dns");
    static final Endpoint.Node NODE = new Endpoint.Node("192.168.50.2", "node-1");
    static final Endpoint.External POOL = new Endpoint.External("203.0.113.66", null);
    static final Endpoint.External GITHUB = new Endpoint.External("203.0.113.10", null);

    private Lab() {
    }

    static final class Collected implements Detections {
        final List<Alert> alerts = new ArrayList<>();
        final List<Decision> decisions = new ArrayList<>();

        @Override
        public void alert(Alert alert) {
            alerts.add(alert);
        }

        @Override
        public void decide(Decision decision) {
            decisions.add(decision);
        }

        void clear() {
            alerts.clear();
            decisions.clear();
        }
    }

    static AlertFactory alerts() {
        return new AlertFactory("node-1", new AlertIds());
    }

    static Baselines baselines() {
        return new Baselines(BaselineConfig.defaults().withLearning(true, Duration.ofSeconds(60), Duration.ofSeconds(20)));
    }

    static ConnId id(Endpoint from, int sport, Endpoint to, int dport, String proto) {
        return new ConnId(from.ip(), sport, to.ip(), dport, proto);
    }

    /** A completed TCP connection with data both ways. */
    static ConnRecord tcp(double ts, Endpoint from, Endpoint to, int port, String service, Boolean encrypted) {
        return new ConnRecord(ts, "C" + Math.abs((long) (ts * 1000) % 100000) + port, id(from, 40000 + port % 1000, to, port, "tcp"),
                service, 0.2, 310, 4200, "SF", 0, "ShADadFf", 8, 730, 7, 4600, null, -1, -1, encrypted);
    }

    /** A TCP SYN nobody answered. */
    static ConnRecord unanswered(double ts, Endpoint from, Endpoint to, int port) {
        return new ConnRecord(ts, "Cs" + port, id(from, 51000, to, port, "tcp"), null, null, 0, 0, "S0", 0, "S", 1, 60,
                0, 0, null, -1, -1, null);
    }

    static ConnRecord udp(double ts, Endpoint from, Endpoint to, int port, String service, long respPkts) {
        return new ConnRecord(ts, "Cu" + port, id(from, 53000, to, port, "udp"), service, 0.01, 40, respPkts > 0 ? 120 : 0,
                respPkts > 0 ? "SF" : "S0", 0, respPkts > 0 ? "Dd" : "D", 1, 68, respPkts, respPkts * 148, null, -1, -1,
                "dns".equals(service) ? Boolean.FALSE : null);
    }

    static DnsRecord dns(double ts, Endpoint from, String query, int qtype, String qtypeName, List<String> answers) {
        return new DnsRecord(ts, "Cd" + Math.abs(query.hashCode() % 100000), id(from, 35000, KUBE_DNS, 53, "udp"), 4711, 0.002,
                query, 1, "C_INTERNET", qtype, qtypeName, answers.isEmpty() ? 3 : 0, answers.isEmpty() ? "NXDOMAIN" : "NOERROR",
                false, false, true, true, 0, answers, answers.stream().mapToLong(a -> 300).toArray(), false, 0, "query");
    }

    static DnsRecord a(double ts, Endpoint from, String query, String... answers) {
        return dns(ts, from, query, 1, "A", List.of(answers));
    }

    static SslRecord ssl(double ts, Endpoint from, Endpoint to, int port, String version, String sni, boolean established) {
        return new SslRecord(ts, "Ct" + port, id(from, 44000, to, port, "tcp"), version,
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "secp256r1", sni, false, null, null, established,
                List.of("http/1.1"), "771,49199-49171,0-23,23,0", null, null, null, null);
    }

    static HttpRecord http(double ts, Endpoint from, Endpoint to, String method, String uri, String body) {
        return new HttpRecord(ts, "Ch" + Math.abs(uri.hashCode() % 1000), id(from, 45000, to, 8080, "tcp"), 1, method,
                "web.shop.svc", uri, null, "1.1", "curl/8.5.0", null, body == null ? 0 : body.length(), 512, 200, "OK",
                null, null, null, null, body);
    }

    static PostgresqlRecord pg(double ts, Endpoint from, Endpoint to, String frontend, String sql) {
        return new PostgresqlRecord(ts, "Cp1", id(from, 46000, to, 5432, "tcp"), "shop", "shop", "web", frontend, sql,
                "command_complete", "SELECT 1", true, 1L, "17.2", null);
    }

    static MysqlRecord mysql(double ts, Endpoint from, Endpoint to, String cmd, String arg) {
        return new MysqlRecord(ts, "Cm1", id(from, 47000, to, 3306, "tcp"), cmd, arg, true, 0L, null, null, 1L);
    }

    static StratumRecord stratum(double ts, Endpoint from, Endpoint to, int port, String method) {
        return new StratumRecord(ts, "Cx1", id(from, 48000, to, port, "tcp"), method,
                "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A", "XMRig/6.21.0",
                true, null, 0);
    }

    static NoticeRecord notice(double ts, String note, Endpoint scanner, String dst, Integer port, long n) {
        return new NoticeRecord(ts, "Cn1", new ConnId(scanner.ip(), 55000, dst == null ? "10.244.0.99" : dst,
                port == null ? 0 : port, "tcp"), note, scanner.ip() + " scanned at least " + n + " unique ports of host "
                + dst + " in 0m3s", scanner.ip(), dst, port, n);
    }
}
