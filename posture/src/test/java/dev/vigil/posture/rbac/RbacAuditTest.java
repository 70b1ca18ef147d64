package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.PodTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Risky rights, anonymous bindings, missing roles and risky workloads on {@code rbac/risky.yaml}. */
class RbacAuditTest {

    static List<Finding> findings;
    static RbacAudit audit;

    @BeforeAll
    static void run() {
        RbacPolicy.Builder b = RbacPolicy.builder();
        List<PodTemplate> workloads = new ArrayList<>();
        Map<String, Boolean> automount = new HashMap<>();
        for (KubeObject o : Manifests.resource("rbac/risky.yaml")) {
            b.add(o);
            PodTemplate pod = PodTemplate.of(o);
            if (pod != null) {
                workloads.add(pod);
            }
            if (o.kind().equals("ServiceAccount") && o.json().path("automountServiceAccountToken").isBoolean()) {
                automount.put(o.namespace() + "/" + o.name(), o.json().path("automountServiceAccountToken").booleanValue());
            }
        }
        audit = new RbacAudit(b.build(), false);
        findings = new ArrayList<>();
        audit.run(PodTemplate.topLevel(workloads), automount, findings::add);
    }

    static List<String> lines() {
        return findings.stream().map(f -> f.check() + " " + f.severity() + " " + f.resource().display()).toList();
    }

    @Test
    void eachRiskyRightIsReportedOnItsSubjectWithScopeSeverity() {
        assertThat(lines()).contains(
                "rbac.cluster-admin CRITICAL User root-user",
                "rbac.cluster-admin HIGH User shop-owner",
                "rbac.secrets-read HIGH ServiceAccount ops/backup",
                "rbac.secrets-read MEDIUM ServiceAccount shop/web",
                "rbac.pod-exec HIGH Group sre",
                "rbac.pod-attach HIGH Group sre",
                "rbac.pod-ephemeral-containers HIGH Group sre",
                "rbac.create-pods MEDIUM ServiceAccount shop/ci",
                "rbac.create-workloads MEDIUM ServiceAccount shop/ci",
                "rbac.bind HIGH User iam",
                "rbac.escalate HIGH User iam",
                "rbac.impersonate CRITICAL User proxy",
                "rbac.serviceaccount-token HIGH User minter",
                "rbac.csr-approval HIGH User approver",
                "rbac.nodes-proxy HIGH User monitor",
                "rbac.webhook-config HIGH User hooker",
                "rbac.persistentvolume-create HIGH User storage",
                "rbac.status-patch MEDIUM User statuser",
                "rbac.service-external-ips LOW User netops",
                "rbac.wildcard LOW Group system:authenticated");
    }

    @Test
    void negativeCases() {
        assertThat(lines()).as("approval without approve on signers cannot approve")
                .noneMatch(l -> l.endsWith("User half-approver"));
        assertThat(lines()).as("cluster-scoped resources are not granted by a RoleBinding")
                .noneMatch(l -> l.endsWith("User ns-proxy") || l.endsWith("User ns-storage"));
        assertThat(lines()).as("cluster-admin subsumes the other checks")
                .filteredOn(l -> l.endsWith("User root-user")).containsExactly("rbac.cluster-admin CRITICAL User root-user");
        assertThat(lines()).as("system components are left out by default")
                .noneMatch(l -> l.contains("system:kube-controller-manager") || l.contains("kube-system/operator"));
        assertThat(lines()).as("reader's configmaps/* get is a wildcard, not a secrets right for get+list")
                .contains("rbac.secrets-read HIGH Group system:authenticated");
    }

    @Test
    void resourceNamesAreNamedInTheMessage() {
        assertThat(findings).filteredOn(f -> f.check().equals("rbac.secrets-read") && f.resource().name().equals("web"))
                .singleElement().extracting(Finding::message).asString()
                .contains("get secrets named [db-password] in namespace shop via RoleBinding shop/one-secret → ClusterRole one-secret");
    }

    @Test
    void anonymousBindings() {
        assertThat(lines()).contains(
                "rbac.anonymous-binding LOW ClusterRoleBinding anonymous-discovery",
                "rbac.anonymous-binding CRITICAL RoleBinding shop/anonymous-secrets");
    }

    @Test
    void missingRoles() {
        assertThat(lines()).contains("rbac.missing-role LOW ClusterRoleBinding dangling");
        assertThat(findings).filteredOn(f -> f.check().equals("rbac.missing-role")).singleElement()
                .extracting(Finding::message).asString()
                .isEqualTo("ClusterRoleBinding dangling references ClusterRole gone: ClusterRole gone does not exist; "
                        + "whoever creates that role later grants it silently to [User nobody]");
    }

    @Test
    void riskyWorkloadsAreThoseMountingARiskyToken() {
        // ops/plain runs as ops/default, which reads secrets through system:authenticated's "reader" (get *)
        assertThat(lines()).filteredOn(l -> l.startsWith("rbac.risky-workload")).containsExactlyInAnyOrder(
                "rbac.risky-workload HIGH Deployment ops/backup",
                "rbac.risky-workload HIGH Pod ops/plain",
                "rbac.risky-workload HIGH CronJob shop/ci-runner");
        assertThat(lines()).as("no token mounted (pod or service account opts out), no token to steal")
                .noneMatch(l -> l.contains("quiet-pod") || l.contains("backup-no-token"));
        assertThat(lines()).as("the ReplicaSet is reported through its Deployment")
                .noneMatch(l -> l.contains("backup-5d8f"));
    }
}
