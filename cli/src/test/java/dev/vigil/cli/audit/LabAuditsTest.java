package dev.vigil.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audits against the live lab (its API, its real images and signatures), as a user runs them:
 * Pod Security by namespace labels, the lab's deliberately risky RBAC grants, signatures and running
 * digests of the images that run, and the attack path through the cluster-admin service account.
 */
class LabAuditsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Where the lab keeps its OCI layout and signing key (docs/lab.md). */
    private static final Path IMAGE_CACHE = Path.of("/var/cache/vigil-lab");

    static LabStatus lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void lab() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "busybox", "curl");
        lab = Lab.shared();
    }

    /** Runs {@code vigil audit …} on the lab's API; returns the report's JSON lines. */
    List<JsonNode> audit(String... args) throws IOException {
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("audit"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--kubeconfig", lab.kubeconfig(), "--format", "json", "-o", report.toString()));
        CliRun r = CliRun.of(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return Files.readAllLines(report).stream().map(JSON::readTree).toList();
    }

    static JsonNode evaluation(List<JsonNode> lines, String kind, String namespace, String name, String level) {
        return lines.stream().filter(l -> l.path("resource").path("kind").stringValue().equals(kind)
                        && namespace.equals(l.path("resource").path("namespace").stringValue())
                        && l.path("resource").path("name").stringValue().equals(name)
                        && l.path("level").stringValue().equals(level))
                .findFirst().orElseThrow(() -> new AssertionError("no " + level + " evaluation of " + kind + " " + namespace
                        + "/" + name + " in " + lines));
    }

    static List<String> checks(JsonNode evaluation) {
        List<String> out = new ArrayList<>();
        evaluation.path("violations").forEach(v -> out.add(v.path("check").stringValue()));
        return out;
    }

    @Test
    void pssWithoutALevelJudgesEachNamespaceByItsLabels() throws IOException {
        List<JsonNode> lines = audit("pss");
        JsonNode loadgen = evaluation(lines, "Deployment", "loadgen", "loadgen", "restricted");
        assertThat(loadgen.path("modes").toString()).isEqualTo("[\"enforce\"]");
        assertThat(loadgen.path("allowed").booleanValue()).as("labelled restricted after its pod ran").isFalse();
        assertThat(checks(loadgen)).contains("allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot",
                "seccompProfile_restricted");
        JsonNode runningPod = lines.stream().filter(l -> l.path("resource").path("kind").stringValue().equals("Pod")
                && "loadgen".equals(l.path("resource").path("namespace").stringValue())
                && l.path("level").stringValue().equals("restricted")).findFirst().orElseThrow();
        assertThat(runningPod.path("allowed").booleanValue()).isFalse();

        JsonNode frontendBaseline = evaluation(lines, "Deployment", "shop-web", "frontend", "baseline");
        assertThat(frontendBaseline.path("modes").toString()).isEqualTo("[\"enforce\"]");
        assertThat(frontendBaseline.path("allowed").booleanValue()).isTrue();
        JsonNode frontendRestricted = evaluation(lines, "Deployment", "shop-web", "frontend", "restricted");
        assertThat(frontendRestricted.path("modes").toString()).isEqualTo("[\"warn\"]");
        assertThat(frontendRestricted.path("allowed").booleanValue()).isFalse();

        JsonNode api = evaluation(lines, "Deployment", "shop-api", "api", "baseline");
        assertThat(api.path("version").stringValue()).isEqualTo("v1.30");
        assertThat(api.path("allowed").booleanValue()).isTrue();
        assertThat(evaluation(lines, "Deployment", "shop-api", "api", "restricted").path("modes").toString())
                .isEqualTo("[\"audit\"]");

        assertThat(lines).as("kube-system is privileged: nothing is judged stricter")
                .filteredOn(l -> "kube-system".equals(l.path("resource").path("namespace").stringValue()))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.path("level").stringValue()).isEqualTo("privileged"));
        assertThat(evaluation(lines, "StatefulSet", "shop-data", "postgres", "baseline").path("allowed").booleanValue()).isTrue();
    }

    @Test
    void rbacFindsTheDeliberatelyRiskyGrants() throws IOException {
        List<JsonNode> findings = audit("rbac");
        assertThat(finding(findings, "rbac.cluster-admin", "ServiceAccount", "loadgen", "loadgen").path("severity").stringValue())
                .isEqualTo("critical");
        assertThat(finding(findings, "rbac.cluster-admin", "ServiceAccount", "loadgen", "loadgen").path("message").stringValue())
                .contains("ClusterRoleBinding loadgen-cluster-admin");
        JsonNode secrets = finding(findings, "rbac.secrets-read", "ServiceAccount", "shop-api", "api");
        assertThat(secrets.path("severity").stringValue()).as("within a namespace: one level lower").isEqualTo("medium");
        assertThat(secrets.path("message").stringValue()).contains("in namespace shop-api via RoleBinding shop-api/api-secret-reader");
        assertThat(finding(findings, "rbac.risky-workload", "Deployment", "loadgen", "loadgen").path("message").stringValue())
                .contains("mounts the token of ServiceAccount loadgen/loadgen", "rbac.cluster-admin");
        assertThat(findings).as("Kubernetes' own subjects are left out")
                .noneMatch(f -> f.path("resource").path("name").stringValue().equals("system:masters"));
    }

    static JsonNode finding(List<JsonNode> findings, String check, String kind, String namespace, String name) {
        return findings.stream().filter(f -> f.path("check").stringValue().equals(check)
                        && f.path("resource").path("kind").stringValue().equals(kind)
                        && namespace.equals(f.path("resource").path("namespace").stringValue())
                        && f.path("resource").path("name").stringValue().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " for " + kind + " " + namespace + "/" + name
                        + " in " + findings));
    }

    @Test
    void imagesVerifyTheLabsSignaturesAndTheDigestsItsPodsRun() throws IOException {
        List<JsonNode> findings = audit("images", "--layout", IMAGE_CACHE.resolve("oci").toString(),
                "--key", IMAGE_CACHE.resolve("signing/cosign.pub").toString());
        assertThat(findings).extracting(f -> f.path("check").stringValue())
                .doesNotContain("image.tampered", "image.bad-signature", "image.unsigned", "image.signature-digest-mismatch",
                        "image.digest-drift", "image.tag-drift", "image.verify-error");
        for (LabStatus.Pod pod : lab.pods()) {
            for (LabStatus.Container c : pod.containers()) {
                assertThat(findings).as("%s/%s container %s runs %s", pod.namespace(), pod.name(), c.name(), c.imageDigest())
                        .anySatisfy(f -> {
                            assertThat(f.path("check").stringValue()).isEqualTo("image.signature-verified");
                            assertThat(f.path("resource").path("namespace").stringValue()).isEqualTo(pod.namespace());
                            assertThat(f.path("message").stringValue()).contains("container " + c.name() + " (")
                                    .contains("@" + c.imageDigest() + "): signed by the key");
                        });
            }
        }
    }

    @Test
    void attackPathsGoThroughTheClusterAdminServiceAccount() throws IOException {
        List<JsonNode> findings = audit("attack-paths", "--max-paths", "500");
        JsonNode path = findings.stream().filter(f -> f.path("check").stringValue().equals("attack-path.cluster-admin")
                        && f.path("resource").path("name").stringValue().equals("loadgen"))
                .findFirst().orElseThrow(() -> new AssertionError("no path from loadgen to cluster-admin in " + findings));
        assertThat(path.path("message").stringValue()).as("the lab's pods carry their token volume as admitted pods do")
                .startsWith("3 steps: Deployment loadgen/loadgen → projected service account token (volume kube-api-access-")
                .contains("[T1528 reads the files container web mounts at /var/run/secrets/kubernetes.io/serviceaccount]")
                .contains("→ ServiceAccount loadgen/loadgen [T1528 token of ServiceAccount loadgen/loadgen for the API server]")
                .endsWith("→ cluster-admin equivalence [T1078 holds * on * through ClusterRoleBinding loadgen-cluster-admin → ClusterRole cluster-admin]");
        assertThat(path.path("mitre").toString()).isEqualTo("[\"T1528\",\"T1078\"]");
        assertThat(findings).as("the api reads its namespace's secrets, but none holds a token: no path to cluster-admin")
                .noneMatch(f -> f.path("check").stringValue().equals("attack-path.cluster-admin")
                        && "shop-api".equals(f.path("resource").path("namespace").stringValue()));
    }
}
