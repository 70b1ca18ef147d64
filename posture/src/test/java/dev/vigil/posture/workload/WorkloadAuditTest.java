package dev.vigil.posture.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.source.FileSource;
import dev.vigil.posture.waiver.Waivers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadAuditTest {

    private static List<Finding> audit(String yaml) throws Exception {
        List<Finding> out = new ArrayList<>();
        WorkloadAudit audit = new WorkloadAudit(Waivers.none(), out::add);
        new FileSource(List.of("-"), () -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).read(audit);
        audit.finish();
        return out;
    }

    private static List<String> checks(List<Finding> findings, String name) {
        return findings.stream().filter(f -> f.resource().name().equals(name)).map(Finding::check).sorted().toList();
    }

    @Test
    void hardenedWorkloadCoveredByPolicyAndBoundAccountIsClean() throws Exception {
        List<Finding> f = audit("""
                kind: Deployment
                apiVersion: apps/v1
                metadata: {name: api, namespace: shop}
                spec:
                  template:
                    metadata: {labels: {app: api, tier: web}}
                    spec:
                      serviceAccountName: api
                      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                      containers:
                      - name: api
                        image: registry.local/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                        resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 100m, memory: 128Mi}}
                        securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                ---
                kind: NetworkPolicy
                apiVersion: networking.k8s.io/v1
                metadata: {name: web, namespace: shop}
                spec:
                  podSelector:
                    matchExpressions: [{key: tier, operator: In, values: [web]}]
                ---
                kind: RoleBinding
                apiVersion: rbac.authorization.k8s.io/v1
                metadata: {name: api, namespace: shop}
                subjects: [{kind: ServiceAccount, name: api}]
                roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
                """);
        assertThat(checks(f, "api")).isEmpty();
    }

    @Test
    void eachHardeningGapIsReportedWithItsCheck() throws Exception {
        List<Finding> f = audit("""
                kind: Pod
                apiVersion: v1
                metadata: {name: bad, namespace: default, labels: {app: bad}}
                spec:
                  containers:
                  - name: c
                    image: nginx:latest
                    env:
                    - {name: AWS_KEY, value: AKIAABCDEFGHIJKLMNOP}
                    envFrom: [{secretRef: {name: creds}}]
                    securityContext: {capabilities: {add: [NET_RAW]}}
                  volumes:
                  - {name: sock, hostPath: {path: /run/containerd/containerd.sock}}
                ---
                kind: NetworkPolicy
                apiVersion: networking.k8s.io/v1
                metadata: {name: other, namespace: default}
                spec: {podSelector: {matchLabels: {app: other}}}
                ---
                kind: Service
                apiVersion: v1
                metadata: {name: bad, namespace: default}
                spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}
                """);
        assertThat(checks(f, "bad")).containsExactly("CIS-5.2.10", "CIS-5.2.12", "CIS-5.2.6", "CIS-5.2.7", "CIS-5.2.8",
                "CIS-5.2.9", "CIS-5.7.2", "filesystem.writable", "image.digest", "image.latest", "namespace.default",
                "network-policy.none", "resources.limits", "runtime.socket", "secrets.env", "service.exposed",
                "serviceaccount.default", "serviceaccount.token");
        Finding np = f.stream().filter(x -> x.check().equals("network-policy.none")).findFirst().orElseThrow();
        assertThat(np.message()).contains("none of the NetworkPolicies of namespace default selects");
        Finding token = f.stream().filter(x -> x.check().equals("serviceaccount.token")).findFirst().orElseThrow();
        assertThat(token.message()).contains("the input has no RoleBindings");
    }

    @Test
    void tokenNotMountedWhenTheServiceAccountOptsOutAndControllerPodsAreSkipped() throws Exception {
        List<Finding> f = audit("""
                kind: ServiceAccount
                apiVersion: v1
                metadata: {name: quiet, namespace: a}
                automountServiceAccountToken: false
                ---
                kind: Pod
                apiVersion: v1
                metadata: {name: p, namespace: a}
                spec: {serviceAccountName: quiet, containers: [{name: c, image: x:1}]}
                ---
                kind: Pod
                apiVersion: v1
                metadata:
                  name: owned
                  namespace: a
                  ownerReferences: [{kind: ReplicaSet, name: rs, controller: true, apiVersion: apps/v1, uid: u}]
                spec: {containers: [{name: c, image: x:1}]}
                """);
        assertThat(checks(f, "p")).doesNotContain("serviceaccount.token");
        assertThat(checks(f, "owned")).isEmpty();
    }
}
