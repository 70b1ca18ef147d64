package dev.vigil.cli.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.kube.client.KubeClients;
import dev.vigil.kube.client.KubeConnection;
import dev.vigil.lab.ExecResult;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.testkit.Requirements;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code vigil capture --pod … --kubeconfig …} on the real lab: traffic that the lab's own containers
 * send while Vigil captures the load generator's and the api's veths becomes conn, http, dns, ssl,
 * postgresql and redis records whose {@code orig_*}/{@code resp_*} names are those of the lab's pods,
 * services and workloads, as {@link Lab#status()} and the API server know them.
 */
class LabCaptureTest {

    /** How long the capture runs; the traffic is sent in its first seconds and every flow is written at the end. */
    private static final Duration CAPTURE = Duration.ofSeconds(25);

    private static LabStatus lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void lab() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "openssl", "dnsmasq", "redis-server", "curl", "busybox");
        lab = Lab.shared();
        awaitApiServer();
    }

    /** Right after the lab starts, on a loaded machine, the API server can take a while to answer its first lists. */
    private static void awaitApiServer() {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try (KubeConnection api = KubeClients.connect(Path.of(lab.kubeconfig()), null)) {
                api.client().pods().inAnyNamespace().list();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void podTrafficBecomesRecordsWithPodServiceAndWorkloadNames() throws Exception {
        LabStatus.Pod loadgen = lab.pod("loadgen", "loadgen");
        LabStatus.Pod api = lab.pod("shop-api", "api");
        LabStatus.Pod frontend = lab.pod("shop-web", "frontend");
        LabStatus.Pod cache = lab.pod("shop-data", "cache");
        LabStatus.Pod postgres = lab.pod("shop-data", "postgres");
        LabStatus.Pod coredns = lab.pod("kube-system", "coredns");

        Path records = dir.resolve("records.jsonl");
        Path err = dir.resolve("capture.err");
        Process capture = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Vigil.class.getName(),
                "capture", "--pod", "loadgen/loadgen", "--pod", "shop-api/" + api.name(),
                "--kubeconfig", lab.kubeconfig(), "--jsonl", records.toString(), "--duration", CAPTURE.toSeconds() + "s")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (started(err) < 2 && capture.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(started(err)).as("capture did not start: %s", Files.readString(err)).isEqualTo(2);
            generateTraffic(api, frontend, cache, postgres, coredns);
            assertThat(capture.waitFor(CAPTURE.toSeconds() + 60, TimeUnit.SECONDS)).as("capture did not end").isTrue();
        } finally {
            capture.destroy();
        }
        assertThat(capture.exitValue()).as(Files.readString(err)).isZero();
        List<JsonNode> lines = Files.readAllLines(records).stream().map(l -> new ObjectMapper().readTree(l)).toList();

        JsonNode http = find(lines, "http", r -> text(r, "id.resp_h").equals(frontend.ip()));
        side(http, "orig", loadgen);
        side(http, "resp", frontend);
        assertThat(text(http, "method")).isEqualTo("GET");

        JsonNode dns = find(lines, "dns", r -> text(r, "query").equals("api.shop-api.svc.cluster.local")
                && text(r, "id.resp_h").equals(coredns.ip()));
        side(dns, "orig", loadgen);
        side(dns, "resp", coredns);

        JsonNode ssl = find(lines, "ssl", r -> text(r, "server_name").equals("kubernetes.default.svc"));
        side(ssl, "orig", loadgen);
        assertThat(text(ssl, "resp_service")).isEqualTo("kubernetes");
        assertThat(text(ssl, "resp_namespace")).isEqualTo("default");

        JsonNode redis = find(lines, "redis", r -> text(r, "id.resp_h").equals(cache.ip()) && text(r, "cmd.name").equals("SET"));
        side(redis, "orig", api);
        side(redis, "resp", cache);

        JsonNode pg = find(lines, "postgresql", r -> text(r, "id.resp_h").equals(postgres.ip()));
        side(pg, "orig", api);
        side(pg, "resp", postgres);

        JsonNode conn = find(lines, "conn", r -> text(r, "uid").equals(text(pg, "uid")));
        assertThat(text(conn, "service")).isEqualTo("postgresql");
        side(conn, "orig", api);
        side(conn, "resp", postgres);
        JsonNode frontendToApi = find(lines, "http", r -> text(r, "id.orig_h").equals(frontend.ip()));
        side(frontendToApi, "orig", frontend);
        assertThat(text(frontendToApi, "resp_service")).isEqualTo("api");
        assertThat(text(frontendToApi, "resp_namespace")).isEqualTo("shop-api");
    }

    /** Real clients in the lab's containers: HTTP, DNS, TLS, Redis and PostgreSQL, to pods' own addresses where names are checked. */
    private static void generateTraffic(LabStatus.Pod api, LabStatus.Pod frontend, LabStatus.Pod cache, LabStatus.Pod postgres,
                                        LabStatus.Pod coredns) {
        ok(Lab.exec("loadgen", "loadgen", "web", "curl", "-s", "-o", "/dev/null", "http://" + frontend.ip() + "/cgi-bin/products"));
        ok(Lab.exec("loadgen", "loadgen", "dns", "nslookup", "api.shop-api.svc.cluster.local", coredns.ip()));
        ok(Lab.exec("loadgen", "loadgen", "tls", "sh", "-c",
                "echo | openssl s_client -connect kubernetes.default.svc.cluster.local:443"
                        + " -servername kubernetes.default.svc -alpn http/1.1 >/dev/null 2>&1; true"));
        ok(Lab.exec("shop-api", api.name(), "api", "redis-cli", "-h", cache.ip(), "SET", "vigil:capture-test", "1"));
        ok(Lab.exec("shop-api", api.name(), "api", "sh", "-c", "PGPASSWORD=$(cat /etc/shop/db/password) psql -h "
                + postgres.ip() + " -U $(cat /etc/shop/db/username) -d shop -At -c 'SELECT count(*) FROM products'"));
    }

    private static int started(Path err) throws java.io.IOException {
        return Files.exists(err) ? Files.readString(err).split("capturing on", -1).length - 1 : 0;
    }

    /** The record's {@code orig_*} or {@code resp_*} names are the pod's, per the lab and per its owners in the API. */
    private static void side(JsonNode record, String side, LabStatus.Pod pod) {
        assertThat(text(record, side + "_namespace")).as(side + "_namespace of %s", record).isEqualTo(pod.namespace());
        assertThat(text(record, side + "_pod")).as(side + "_pod of %s", record).isEqualTo(pod.name());
        assertThat(text(record, side + "_workload")).as(side + "_workload of %s", record)
                .isEqualTo(pod.namespace() + "/" + pod.workload());
        assertThat(text(record, side + "_workload_kind")).as(side + "_workload_kind of %s", record)
                .isEqualTo(pod.workloadKind()).isEqualTo(workloadKindInApi(pod));
    }

    /** The kind of the workload that owns {@code pod}, following owner references in the API server. */
    private static String workloadKindInApi(LabStatus.Pod pod) {
        try (KubeConnection api = KubeClients.connect(Path.of(lab.kubeconfig()), null)) {
            Pod p = api.client().pods().inNamespace(pod.namespace()).withName(pod.name()).get();
            OwnerReference owner = p.getMetadata().getOwnerReferences().getFirst();
            if (owner.getKind().equals("ReplicaSet")) {
                owner = api.client().apps().replicaSets().inNamespace(pod.namespace()).withName(owner.getName()).get()
                        .getMetadata().getOwnerReferences().getFirst();
            }
            assertThat(owner.getName()).isEqualTo(pod.workload());
            return owner.getKind();
        }
    }

    private static JsonNode find(List<JsonNode> records, String log, Predicate<JsonNode> match) {
        return records.stream().filter(r -> text(r, "log").equals(log)).filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no matching " + log + " record among " + records.size()
                        + " records; " + log + " records: " + records.stream().filter(r -> text(r, "log").equals(log)).toList()));
    }

    private static String text(JsonNode record, String field) {
        JsonNode v = record.get(field);
        return v == null ? "" : v.asString();
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }
}
