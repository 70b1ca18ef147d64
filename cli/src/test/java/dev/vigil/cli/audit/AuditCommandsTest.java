package dev.vigil.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code vigil audit} command end to end through picocli on a small cluster in a folder (YAML,
 * a nested folder, a JSON list, a text file to skip): each format parsed as what it claims to be, the
 * exit code of {@code --fail-on}, waivers and their file errors, standard input, malformed input,
 * usage mistakes, and progress on stderr.
 */
class AuditCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    Path cluster;

    static final String NAMESPACES = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/warn: restricted}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: open}
            """;

    static final String WORKLOADS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  serviceAccountName: web
                  containers:
                  - name: web
                    image: nginx:latest
                    securityContext: {privileged: true}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: open}
            spec:
              hostNetwork: true
              containers: [{name: sh, image: "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: shop}
            """;

    static final String RBAC = """
            {"apiVersion": "v1", "kind": "List", "items": [
             {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "web-admin"},
              "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
              "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}]},
             {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "cluster-admin"},
              "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
            ]}
            """;

    @BeforeEach
    void files() throws IOException {
        cluster = dir.resolve("cluster");
        Files.createDirectories(cluster.resolve("sub"));
        Files.writeString(cluster.resolve("namespaces.yaml"), NAMESPACES);
        Files.writeString(cluster.resolve("sub/workloads.yml"), WORKLOADS);
        Files.writeString(cluster.resolve("rbac.json"), RBAC);
        Files.writeString(cluster.resolve("notes.txt"), "kind: Pod\nmetadata: {name: not-a-manifest}\n");
    }

    record Run(int exit, String out, String err, String report) {
    }

    /** Runs {@code vigil args…}; the report goes to a file (the commands write it to System.out otherwise). */
    Run run(String... args) throws IOException {
        Path report = dir.resolve("report-" + System.nanoTime());
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--output");
        all.add(report.toString());
        CliRun r = CliRun.of(all.toArray(String[]::new));
        return new Run(r.exit(), r.out(), r.err(), Files.exists(report) ? Files.readString(report) : null);
    }

    /** Runs a question ({@code who-can}, {@code can-i}), which answers on picocli's out. */
    static CliRun ask(String... args) {
        return CliRun.of(args);
    }

    /** Each audit with its arguments and a check id its report must contain for this cluster. */
    static Stream<Arguments> audits() {
        return Stream.of(
                Arguments.of(List.of("pss", "--level", "baseline"), "privileged"),
                Arguments.of(List.of("pss"), "allowPrivilegeEscalation"),
                Arguments.of(List.of("workloads"), "image.latest"),
                Arguments.of(List.of("rbac"), "rbac.cluster-admin"),
                Arguments.of(List.of("attack-paths"), "attack-path.cluster-admin"),
                Arguments.of(List.of("images"), "image.unpinned"));
    }

    static Stream<Arguments> auditsAndFormats() {
        return audits().flatMap(a -> Stream.of("table", "json", "sarif", "junit", "html")
                .map(f -> Arguments.of(a.get()[0], a.get()[1], f)));
    }

    private String[] args(List<String> audit, String... more) {
        List<String> out = new ArrayList<>(List.of("audit"));
        out.addAll(audit);
        out.addAll(List.of("-f", cluster.toString()));
        out.addAll(List.of(more));
        return out.toArray(String[]::new);
    }

    @ParameterizedTest(name = "audit {0} --format {2}")
    @MethodSource("auditsAndFormats")
    void everyAuditWritesEveryFormat(List<String> audit, String check, String format) throws Exception {
        Run r = run(args(audit, "--format", format));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).as("the tally on stderr").contains("vigil: " + audit.getFirst() + ": ").contains(" objects");
        String report = r.report();
        switch (format) {
            case "table" -> assertThat(report).contains(check).contains("fix: ");
            case "json" -> {
                List<JsonNode> lines = report.lines().map(JSON::readTree).toList();
                assertThat(lines).isNotEmpty();
                if (audit.getFirst().equals("pss")) {
                    assertThat(lines).allSatisfy(l -> assertThat(l.propertyNames()).contains("resource", "level", "version",
                            "allowed", "violations"));
                    assertThat(lines).anySatisfy(l -> assertThat(l.path("violations").toString()).contains("\"check\":\"" + check + "\""));
                } else {
                    assertThat(lines).allSatisfy(l -> assertThat(l.propertyNames()).contains("check", "title", "severity",
                            "resource", "message", "remediation", "references", "mitre", "waived"));
                    assertThat(lines).anySatisfy(l -> assertThat(l.path("check").stringValue()).isEqualTo(check));
                }
            }
            case "sarif" -> {
                JsonNode sarif = JSON.readTree(report);
                assertThat(sarif.path("version").stringValue()).isEqualTo("2.1.0");
                JsonNode run = sarif.path("runs").get(0);
                assertThat(run.path("tool").path("driver").path("name").stringValue()).isEqualTo("vigil");
                assertThat(run.path("tool").path("driver").path("rules").toString()).contains("\"id\":\"" + check + "\"");
                assertThat(run.path("results").toString()).contains("\"ruleId\":\"" + check + "\"");
            }
            case "junit" -> {
                Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)));
                assertThat(xml.getElementsByTagName("testsuite").getLength()).isPositive();
                assertThat(xml.getElementsByTagName("failure").getLength()).isPositive();
                assertThat(report).contains(check);
            }
            case "html" -> {
                assertThat(report).startsWith("<!DOCTYPE html>").contains(check).contains("<script>").contains("<style>");
                assertThat(report).as("self-contained").doesNotContain("src=\"http").doesNotContain("href=\"http");
            }
            default -> throw new AssertionError(format);
        }
    }

    @ParameterizedTest(name = "audit {0} --fail-on")
    @MethodSource("audits")
    void failOnSetsExitCodeThreeAndWaivedFindingsDoNotCount(List<String> audit, String check) throws IOException {
        assertThat(run(args(audit, "--fail-on", "low")).exit()).isEqualTo(AuditCommand.EXIT_FINDINGS);
        Path all = dir.resolve("all.yaml");
        Files.writeString(all, """
                waivers:
                - check: "*"
                  reason: accepted for this test
                """);
        Run waived = run(args(audit, "--fail-on", "low", "--waivers", all.toString(), "--format", "json"));
        assertThat(waived.exit()).as(waived.err()).isZero();
        assertThat(waived.report()).contains("accepted for this test");
    }

    @Test
    void failOnBelowTheWorstSeverityOnlyCountsWhatReachesIt() throws IOException {
        assertThat(run(args(List.of("images"), "--fail-on", "high")).exit()).as("only a medium finding").isZero();
        assertThat(run(args(List.of("images"), "--fail-on", "medium")).exit()).isEqualTo(AuditCommand.EXIT_FINDINGS);
    }

    @Test
    void waiverFileErrorsNameFileAndLine() throws IOException {
        Path noReason = dir.resolve("no-reason.yaml");
        Files.writeString(noReason, "waivers:\n  - check: privileged\n    namespace: shop\n");
        Run r = run("audit", "pss", "--level", "baseline", "-f", cluster.toString(), "--waivers", noReason.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(noReason + ":2: waiver of 'privileged' without 'reason': every waiver must say why");

        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "waivers:\n  - check: privileged\n    colour: red\n    reason: x\n");
        r = run("audit", "rbac", "-f", cluster.toString(), "--waivers", unknown.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(unknown + ":3: unknown key 'colour': use one of [check, kind, name, namespace, reason, subject]");

        r = run("audit", "workloads", "-f", cluster.toString(), "--waivers", dir.resolve("absent.yaml").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("waiver file " + dir.resolve("absent.yaml") + " not found: pass an existing YAML file to --waivers");
    }

    @Test
    void standardInputIsReadWithDashAndLabelModeNeedsALevel() throws IOException {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(WORKLOADS.getBytes(StandardCharsets.UTF_8)));
            Run r = run("audit", "pss", "--level", "baseline", "-f", "-", "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.report()).contains("\"file\":\"<stdin>\"", "\"check\":\"privileged\"");

            System.setIn(new ByteArrayInputStream(RBAC.getBytes(StandardCharsets.UTF_8)));
            r = run("audit", "rbac", "-f", "-", "--format", "json");
            assertThat(r.report()).contains("\"check\":\"rbac.cluster-admin\"");

            System.setIn(new ByteArrayInputStream(WORKLOADS.getBytes(StandardCharsets.UTF_8)));
            r = run("audit", "pss", "-f", "-");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("--level is required when reading stdin (-f -)");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void foldersAreReadRecursivelyAndOnlyManifests() throws IOException {
        Run r = run("audit", "workloads", "-f", cluster.toString(), "--format", "json");
        assertThat(r.report()).contains("sub/workloads.yml").doesNotContain("not-a-manifest");
        assertThat(r.err()).contains("vigil: workloads: 8 objects");
        Run two = run("audit", "images", "-f", cluster.resolve("sub").toString(), "-f", cluster.resolve("rbac.json").toString());
        assertThat(two.err()).contains("vigil: images: 6 objects");
    }

    @Test
    void malformedInputIsSkippedWithFileAndLineAndTheRestIsAudited() throws IOException {
        Files.writeString(cluster.resolve("broken.yaml"), "kind: Pod\nmetadata: {name: [broken\n");
        Files.writeString(cluster.resolve("nokind.json"), "{\"metadata\": {\"name\": \"x\"}}");
        Run r = run("audit", "pss", "--level", "baseline", "-f", cluster.toString(), "--format", "sarif");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("vigil: skipped " + cluster.resolve("broken.yaml") + ":3 (document 1): malformed YAML")
                .contains("vigil: skipped " + cluster.resolve("nokind.json") + ":1 (document 1): no kind or metadata.name");
        JsonNode run = JSON.readTree(r.report()).path("runs").get(0);
        assertThat(run.path("invocations").get(0).path("toolExecutionNotifications").toString())
                .contains("malformed YAML", "broken.yaml");
        assertThat(run.path("results").toString()).as("the other files were audited").contains("\"ruleId\":\"privileged\"");
    }

    @Test
    void usageMistakesExitTwoAndSayWhatToDo() throws IOException {
        Run format = run("audit", "rbac", "-f", cluster.toString(), "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("unknown format 'xml': use table, json, sarif, junit or html");
        Run level = run("audit", "pss", "--level", "extreme", "-f", cluster.toString());
        assertThat(level.exit()).isEqualTo(2);
        assertThat(level.err()).contains("unknown Pod Security level 'extreme'");
        Run severity = run("audit", "workloads", "-f", cluster.toString(), "--fail-on", "urgent");
        assertThat(severity.exit()).isEqualTo(2);
        assertThat(severity.err()).contains("urgent");
    }

    @Test
    void missingInputsSayWhatToDo() throws IOException {
        Run file = run("audit", "attack-paths", "-f", dir.resolve("nowhere").toString());
        assertThat(file.exit()).isEqualTo(1);
        assertThat(file.err()).contains("no such file or folder: " + dir.resolve("nowhere") + ": check the -f paths");
        Run kubeconfig = run("audit", "workloads", "--kubeconfig", dir.resolve("kube.conf").toString());
        assertThat(kubeconfig.exit()).isEqualTo(1);
        assertThat(kubeconfig.err()).contains("kubeconfig " + dir.resolve("kube.conf") + " not found: pass an existing file to --kubeconfig");
        Run paths = run("audit", "attack-paths", "-f", cluster.toString(), "--max-paths", "0");
        assertThat(paths.exit()).isEqualTo(1);
        assertThat(paths.err()).contains("--max-paths 0 must be at least 1");
    }

    static final String GRANTS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: one-secret, namespace: shop}
            rules:
            - {apiGroups: [""], resources: [secrets], resourceNames: [db], verbs: [get]}
            - {apiGroups: [""], resources: [pods/log], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: devs-one-secret, namespace: shop}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-secret}
            subjects: [{kind: Group, name: devs}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: health}
            rules: [{nonResourceURLs: [/healthz], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: anonymous-health}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: health}
            subjects: [{kind: Group, name: "system:unauthenticated"}]
            """;

    @Test
    void whoCanAndCanIAnswerNamedSubresourceGroupAndAnonymousQuestions() throws IOException {
        Files.writeString(cluster.resolve("grants.yaml"), GRANTS);
        String f = cluster.toString();
        CliRun named = ask("audit", "rbac", "who-can", "get", "secrets", "--name", "db", "-n", "shop", "--format", "json", "-f", f);
        JsonNode subjects = JSON.readTree(named.out()).path("subjects");
        assertThat(subjects.toString()).contains("{\"kind\":\"Group\",\"name\":\"devs\",\"namespace\":null,"
                + "\"via\":[{\"binding\":\"RoleBinding/shop/devs-one-secret\",\"role\":\"Role/shop/one-secret\"}]}");
        CliRun unnamed = ask("audit", "rbac", "who-can", "list", "secrets", "-n", "shop", "--format", "json", "-f", f);
        assertThat(unnamed.out()).as("resourceNames never match list").doesNotContain("devs");
        CliRun logs = ask("audit", "rbac", "who-can", "get", "pods", "--subresource", "log", "-n", "shop", "-f", f);
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("devs");

        assertThat(ask("audit", "rbac", "can-i", "get", "secrets", "--name", "db", "--as", "group:devs", "-n", "shop", "-f", f).exit())
                .isZero();
        assertThat(ask("audit", "rbac", "can-i", "get", "secrets", "--name", "other", "--as", "group:devs", "-n", "shop", "-f", f).exit())
                .isEqualTo(1);
        CliRun anonymous = ask("audit", "rbac", "can-i", "get", "/healthz", "--as", "system:anonymous", "--format", "json", "-f", f);
        assertThat(anonymous.exit()).isZero();
        JsonNode answer = JSON.readTree(anonymous.out());
        assertThat(answer.path("allowed").booleanValue()).isTrue();
        assertThat(answer.path("reason").stringValue()).contains("ClusterRoleBinding anonymous-health");
        assertThat(ask("audit", "rbac", "can-i", "get", "/metrics", "--as", "system:anonymous", "-f", f).exit()).isEqualTo(1);
    }

    @Test
    void longInputsShowProgressOnStderr() throws IOException {
        InputStream stdin = System.in;
        try {
            System.setIn(new SlowPods(2048, 1024, PROGRESS_INTERVAL_MILLIS + 300));
            Run r = run("audit", "pss", "--level", "restricted", "-f", "-", "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).as("a progress line once 3 s have passed, then the closing line")
                    .containsPattern("vigil: read \\d+ objects \\(\\d+/s\\), 0 anomalies\\n")
                    .containsPattern("vigil: read 2048 objects \\(\\d+/s\\), 0 anomalies, done");
            assertThat(r.report().lines()).hasSize(2048);
        } finally {
            System.setIn(stdin);
        }
    }

    private static final long PROGRESS_INTERVAL_MILLIS = dev.vigil.posture.source.Progress.INTERVAL_NANOS / 1_000_000;

    /** Standard input that yields {@code total} Pods as YAML documents, pausing once after {@code before}. */
    private static final class SlowPods extends InputStream {
        private final int total;
        private final int before;
        private final long pauseMillis;
        private int sent;
        private byte[] chunk = new byte[0];
        private int at;

        SlowPods(int total, int before, long pauseMillis) {
            this.total = total;
            this.before = before;
            this.pauseMillis = pauseMillis;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == chunk.length) {
                if (sent == total) {
                    return -1;
                }
                if (sent == before) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = sent < before ? before : total - before;
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < n; i++, sent++) {
                    s.append("---\nkind: Pod\nmetadata: {name: p").append(sent)
                            .append(", namespace: slow}\nspec: {containers: [{name: c, image: x}]}\n");
                }
                chunk = s.toString().getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        }
    }
}
