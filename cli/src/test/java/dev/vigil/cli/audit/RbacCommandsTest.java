package dev.vigil.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit commands end to end through picocli, on manifests in files and folders. */
class RbacCommandsTest {

    @TempDir
    Path dir;
    Path cluster;

    static final String YAML = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: exec}
            rules:
            - {apiGroups: [""], resources: [pods/exec], verbs: [create]}
            - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: web-exec, namespace: shop}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: exec}
            subjects: [{kind: ServiceAccount, name: web}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: everything}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin-all}
            subjects: [{kind: User, name: root}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: node-reader}
            rules:
            - {apiGroups: [""], resources: [nodes], verbs: [get, list]}
            - {apiGroups: [""], resources: [secrets], verbs: [list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: web-nodes}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
            subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: admin-all}
            rules:
            - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
            """;

    static final String WORKLOAD = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: web, namespace: shop}
              spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}
            - apiVersion: v1
              kind: Pod
              metadata: {name: web, namespace: shop, labels: {app: web}}
              spec:
                serviceAccountName: web
                containers: [{name: web, image: "nginx:1.27"}]
            """;

    @BeforeEach
    void files() throws IOException {
        cluster = dir.resolve("cluster");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("rbac.yaml"), YAML);
        Files.writeString(cluster.resolve("workloads.yml"), WORKLOAD);
        Files.writeString(cluster.resolve("notes.txt"), "not a manifest");
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void canIAnswersYesWithExitZeroAndNoWithExitOne() {
        CliRun yes = run("audit", "rbac", "can-i", "create", "pods/exec", "--as", "system:serviceaccount:shop:web",
                "-n", "shop", "-f", cluster.toString());
        assertThat(yes.exit()).isZero();
        assertThat(yes.out()).isEqualTo("yes\n");
        assertThat(yes.err()).contains("allowed by RoleBinding shop/web-exec of ClusterRole exec to ServiceAccount shop/web");

        CliRun no = run("audit", "rbac", "can-i", "create", "pods", "--subresource", "exec", "--as",
                "system:serviceaccount:shop:web", "-n", "other", "-f", cluster.toString());
        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.out()).isEqualTo("no\n");

        CliRun badSubject = run("audit", "rbac", "can-i", "get", "pods", "--as", "system:serviceaccount:shop", "-f", cluster.toString());
        assertThat(badSubject.exit()).isEqualTo(1);
        assertThat(badSubject.err()).contains("give the subject as system:serviceaccount:NAMESPACE:NAME");
    }

    @Test
    void whoCanJsonHasTheDocumentedShape() {
        CliRun r = run("audit", "rbac", "who-can", "get", "secrets", "-n", "shop", "--format", "json", "-f", cluster.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().trim()).isEqualTo("{\"subjects\":["
                + "{\"kind\":\"ServiceAccount\",\"name\":\"web\",\"namespace\":\"shop\",\"via\":[{\"binding\":\"RoleBinding/shop/web-exec\",\"role\":\"ClusterRole/exec\"}]},"
                + "{\"kind\":\"User\",\"name\":\"root\",\"namespace\":null,\"via\":[{\"binding\":\"ClusterRoleBinding/everything\",\"role\":\"ClusterRole/admin-all\"}]}]}");
    }

    String report(String... args) throws IOException {
        Path file = dir.resolve("report-" + System.nanoTime());
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--output";
        all[args.length + 1] = file.toString();
        lastExit = run(all).exit();
        return Files.readString(file);
    }

    int lastExit;

    @Test
    void auditRbacReportsAndFailsOnSeverity() throws IOException {
        String json = report("audit", "rbac", "-f", cluster.toString(), "--format", "json", "--fail-on", "critical");
        assertThat(lastExit).isEqualTo(AuditCommand.EXIT_FINDINGS);
        assertThat(json).contains("\"check\":\"rbac.cluster-admin\"", "\"check\":\"rbac.pod-exec\"",
                "\"check\":\"rbac.risky-workload\"");
        String table = report("audit", "rbac", "-f", cluster.resolve("rbac.yaml").toString());
        assertThat(lastExit).isZero();
        assertThat(table).contains("User root", "critical", "rbac.cluster-admin");
        String sarif = report("audit", "rbac", "-f", cluster.toString(), "--format", "sarif");
        assertThat(sarif).contains("\"ruleId\"", "rbac.cluster-admin");
    }

    @Test
    void waiversCoverRbacSubjects() throws IOException {
        Path waivers = dir.resolve("waivers.yaml");
        Files.writeString(waivers, """
                waivers:
                - check: rbac.pod-exec
                  subject: "system:serviceaccount:shop:web"
                  reason: debugging service, reviewed 2026-11
                """);
        String json = report("audit", "rbac", "-f", cluster.toString(), "--format", "json", "--waivers", waivers.toString());
        assertThat(json.lines().filter(l -> l.contains("rbac.pod-exec"))).singleElement().asString()
                .contains("debugging service, reviewed 2026-11");
    }

    @Test
    void permissionsListRulesWithTheirBinding() {
        CliRun r = run("audit", "rbac", "permissions", "--as", "system:serviceaccount:shop:web", "-f", cluster.toString());
        assertThat(r.out()).contains("shop         RoleBinding/shop/web-exec → ClusterRole exec");
    }

    @Test
    void attackPathsFromTheInternet() throws IOException {
        String json = report("audit", "attack-paths", "-f", cluster.toString(), "--format", "json");
        assertThat(lastExit).isZero();
        assertThat(json).contains("\"check\":\"attack-path.all-secrets\"", "internet → Pod shop/web [T1190 exposed by Service web (NodePort)]",
                "\"T1190\",\"T1528\",\"T1552.007\"");
    }

    @Test
    void imagesWithoutASourceCheckPinning() throws IOException {
        assertThat(report("audit", "images", "--image", "nginx:1.27", "--format", "json")).contains("\"check\":\"image.unpinned\"");
        assertThat(report("audit", "images", "-f", cluster.toString(), "--format", "json"))
                .contains("\"check\":\"image.unpinned\"", "\"kind\":\"Pod\"", "workloads.yml");
        CliRun key = run("audit", "images", "--image", "nginx:1.27", "--key", "cosign.pub");
        assertThat(key.exit()).isEqualTo(1);
        assertThat(key.err()).contains("--key needs a place to read signatures from: add --layout DIR or --registry URL");
    }

    @Test
    void badInputSaysWhatToDo() {
        CliRun r = run("audit", "rbac", "-f", dir.resolve("missing").toString());
        assertThat(r.err()).contains("no such file or folder").contains("check the -f paths");
        CliRun who = run("audit", "rbac", "who-can", "get", "pods.", "-f", cluster.toString());
        assertThat(who.err()).contains("bad resource 'pods.'");
    }
}
