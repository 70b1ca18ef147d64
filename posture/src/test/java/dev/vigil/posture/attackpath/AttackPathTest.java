package dev.vigil.posture.attackpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import dev.vigil.posture.attackpath.AttackPaths.AttackPath;
import dev.vigil.posture.report.Finding;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack paths on {@code attackpath/crafted.yaml}: each kind of step, positive and negative, with
 * volumes and secrets as nodes of the graph.
 */
class AttackPathTest {

    static AttackGraph graph;
    static List<AttackPath> paths;

    @BeforeAll
    static void build() {
        AttackGraph.Builder b = AttackGraph.builder();
        Manifests.resource("attackpath/crafted.yaml").forEach(b::add);
        graph = b.build();
        paths = AttackPaths.find(graph, 1000);
    }

    static boolean edge(String from, String to) {
        return graph.from(from).stream().anyMatch(e -> e.to().id().equals(to));
    }

    static List<String> chain(AttackPath p) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(p.entry().label()),
                p.steps().stream().map(e -> e.technique().id() + " " + e.to().label())).toList();
    }

    static AttackPath path(String entry, String target) {
        return paths.stream().filter(p -> p.entry().id().equals(entry) && p.target().id().equals(target))
                .findFirst().orElse(null);
    }

    @Test
    void internetToClusterAdminThroughAnExposedPodsToken() {
        assertThat(chain(path(AttackGraph.INTERNET, AttackGraph.CLUSTER_ADMIN))).containsExactly(
                "internet",
                "T1190 Deployment shop/web",
                "T1528 service account token (volume kube-api-access of Deployment shop/web)",
                "T1528 ServiceAccount shop/web",
                "T1610 ServiceAccount shop/admin-bot",
                "T1078 cluster-admin equivalence");
        assertThat(chain(path(AttackGraph.INTERNET, AttackGraph.NODE_ROOT))).containsExactly(
                "internet", "T1190 Deployment shop/web", "T1528 service account token (volume kube-api-access of Deployment shop/web)",
                "T1528 ServiceAccount shop/web", "T1610 root on a node");
    }

    @Test
    void escapeToANodeThenItsPodsTokens() {
        assertThat(chain(path("workload:Pod/secure/escaper", AttackGraph.ALL_SECRETS))).containsExactly(
                "Pod secure/escaper", "T1611 root on node node-1",
                "T1528 service account token (volume kube-api-access of Pod secure/db)",
                "T1528 ServiceAccount secure/db", "T1552.007 all secrets");
        assertThat(graph.from("workload:Pod/secure/escaper").getFirst().reason())
                .isEqualTo("container c is privileged with hostPID (nsenter -t 1)");
    }

    @Test
    void anyAuthenticatedUserImpersonatesABinderOfClusterAdmin() {
        assertThat(chain(path(AttackGraph.AUTHENTICATED, AttackGraph.CLUSTER_ADMIN))).containsExactly(
                "any authenticated user", "T1078 User trent", "T1098.006 cluster-admin equivalence");
    }

    @Test
    void escapeConditions() {
        assertThat(chain(path("workload:Pod/secure/docker-socket", AttackGraph.NODE_ROOT))).as("runtime socket").containsExactly(
                "Pod secure/docker-socket", "T1611 hostPath /var/run/docker.sock (volume sock of Pod secure/docker-socket)",
                "T1611 root on a node");
        assertThat(graph.from("volume:Pod/secure/docker-socket/sock")).singleElement().extracting(AttackGraph.Edge::reason)
                .isEqualTo("hostPath /var/run/docker.sock holds the container runtime socket /var/run/docker.sock (start a privileged container)");
        assertThat(edge("workload:Pod/secure/tracer", AttackGraph.NODE_ROOT)).as("SYS_PTRACE + hostPID").isTrue();
        assertThat(path("workload:Pod/secure/logs", AttackGraph.NODE_ROOT))
                .as("hostPath /var/log/app is not sensitive, the unmounted socket volume does not count, SYS_PTRACE without hostPID")
                .isNull();
        assertThat(graph.node("volume:Pod/secure/logs/applogs").kind()).as("a harmless hostPath is still a volume node")
                .isEqualTo(AttackGraph.Kind.VOLUME);
        assertThat(graph.from("volume:Pod/secure/logs/applogs")).isEmpty();
        assertThat(graph.node("volume:Pod/secure/logs/sock")).as("unmounted volume").isNull();
        assertThat(Escapes.sensitive("/var")).as("/var contains /var/log").isTrue();
        assertThat(Escapes.sensitive("/var/log/app")).isFalse();
        assertThat(Escapes.sensitive("/")).isTrue();
    }

    @Test
    void noTokenMountNoTokenEdge() {
        assertThat(graph.node("volume:Deployment/secure/api/kube-api-access")).isNull();
        assertThat(graph.nodes()).noneMatch(n -> n.id().startsWith("volume:Deployment/secure/api/"));
        assertThat(path("workload:Deployment/secure/api", AttackGraph.CLUSTER_ADMIN)).isNull();
        assertThat(edge(AttackGraph.INTERNET, "workload:Deployment/secure/api")).as("Ingress backend is exposed").isTrue();
    }

    @Test
    void bindingAWeakRoleEscalatesNothing() {
        // (every authenticated user may impersonate trent in this cluster, so look at escalation steps only)
        assertThat(escalations("user:mallory")).as("bind only on viewer").isEmpty();
        assertThat(escalations("user:eve")).as("bind on every role but no right to create bindings").isEmpty();
        assertThat(edge("user:trent", AttackGraph.CLUSTER_ADMIN)).isTrue();
    }

    static List<AttackGraph.Edge> escalations(String from) {
        return graph.from(from).stream().filter(e -> e.technique() == Technique.ADDITIONAL_CLUSTER_ROLES
                || e.to().id().equals(AttackGraph.CLUSTER_ADMIN)).toList();
    }

    @Test
    void tokenSecretsImpersonationCertificatesAndKubeletProxy() {
        assertThat(graph.from("sa:shop/reader")).filteredOn(e -> e.to().kind() == AttackGraph.Kind.SECRET)
                .singleElement().satisfies(e -> {
                    assertThat(e.to().id()).isEqualTo("secret:shop/admin-bot-token");
                    assertThat(e.technique()).isEqualTo(Technique.CONTAINER_API_CREDENTIALS);
                    assertThat(e.reason()).isEqualTo("get Secret shop/admin-bot-token via RoleBinding shop/reader of Role token-reader"
                            + " to ServiceAccount shop/reader");
                });
        assertThat(graph.from("secret:shop/admin-bot-token")).singleElement().satisfies(e -> {
            assertThat(e.to().id()).isEqualTo("sa:shop/admin-bot");
            assertThat(e.technique()).isEqualTo(Technique.STEAL_TOKEN);
        });
        assertThat(edge("user:iris", AttackGraph.CLUSTER_ADMIN)).as("impersonate system:masters").isTrue();
        assertThat(edge("user:carl", AttackGraph.CLUSTER_ADMIN)).as("create and approve client CSRs").isTrue();
        assertThat(escalations("user:cora")).as("approve only for the kubelet-serving signer").isEmpty();
        assertThat(graph.from("user:kim")).as("nodes/proxy reaches every workload")
                .extracting(e -> e.to().id()).contains("workload:Pod/secure/db", "workload:Deployment/shop/web");
        assertThat(graph.from("user:mina")).extracting(e -> e.technique() + " " + e.to().id()).contains(
                "STEAL_TOKEN sa:shop/admin-bot", "STEAL_TOKEN sa:shop/web", "CONTAINER_ADMIN_COMMAND workload:Deployment/shop/web");
        assertThat(graph.from("user:mina")).as("Role in shop grants nothing in secure")
                .noneMatch(e -> e.to().id().contains("secure"));
    }

    @Test
    void escalateNeedsUpdateOfABoundRole() {
        assertThat(edge("user:sam", AttackGraph.CLUSTER_ADMIN)).isTrue();
        assertThat(escalations("user:pat")).isEmpty();
    }

    @Test
    void restrictedNamespaceBlocksPrivilegedPodCreation() {
        assertThat(edge("sa:shop/web", AttackGraph.NODE_ROOT)).isTrue();
        assertThat(graph.edges()).noneMatch(e -> e.reason().contains("privileged pod") && e.reason().contains(" in secure "));
    }

    @Test
    void pathsAreRankedShortestFirstAndFindingsCarryTechniques() {
        List<AttackPath> top = AttackPaths.find(graph, 3);
        assertThat(top).hasSize(3);
        assertThat(top.getFirst().steps()).hasSizeLessThanOrEqualTo(top.getLast().steps().size());
        List<Finding> f = AttackPaths.findings(List.of(path(AttackGraph.INTERNET, AttackGraph.CLUSTER_ADMIN)));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.check()).isEqualTo("attack-path.cluster-admin");
            assertThat(x.mitre()).containsExactly("T1190", "T1528", "T1610", "T1078");
            assertThat(x.message()).startsWith("5 steps: internet → Deployment shop/web [T1190 exposed by Service web (LoadBalancer)]");
        });
    }

    @Test
    void aMountedTokenSecretLeadsThroughItsVolumeAndSecretToItsAccount() {
        assertThat(chain(path("workload:Pod/shop/mounter", AttackGraph.CLUSTER_ADMIN))).containsExactly(
                "Pod shop/mounter",
                "T1552.001 Secret volume admin-bot-token (volume creds of Pod shop/mounter)",
                "T1552.001 Secret shop/admin-bot-token",
                "T1528 ServiceAccount shop/admin-bot",
                "T1078 cluster-admin equivalence");
        assertThat(graph.node("volume:Pod/shop/mounter/unused")).as("a Secret volume no container mounts").isNull();
    }

    @Test
    void secretsInTheEnvironmentAreReachedButAnOpaqueSecretLeadsNowhere() {
        assertThat(graph.from("workload:Pod/shop/mounter")).filteredOn(e -> e.to().id().equals("secret:shop/db-password"))
                .singleElement().satisfies(e -> {
                    assertThat(e.technique()).isEqualTo(Technique.CREDENTIALS_IN_FILES);
                    assertThat(e.reason()).isEqualTo("environment variable DB_PASSWORD of container app holds a key of Secret db-password");
                });
        assertThat(graph.node("secret:shop/db-password").kind()).isEqualTo(AttackGraph.Kind.SECRET);
        assertThat(graph.from("secret:shop/db-password")).isEmpty();
    }

    @Test
    void aNodeYieldsTheTokenAndSecretVolumesOfItsPods() {
        assertThat(graph.from("node:node-1")).extracting(e -> e.technique().id() + " " + e.to().id()).contains(
                "T1528 volume:Pod/secure/db/kube-api-access",
                "T1552.001 volume:Pod/shop/mounter/creds");
        assertThat(graph.from("node:node-1")).extracting(e -> e.to().id())
                .as("the escaper mounts no token").doesNotContain("volume:Pod/secure/escaper/kube-api-access");
    }

    @Test
    void aProjectedTokenForAnotherAudienceIsNoApiToken() {
        assertThat(graph.node("volume:Pod/vault/agent/vault-token").kind()).isEqualTo(AttackGraph.Kind.VOLUME);
        assertThat(graph.from("volume:Pod/vault/agent/vault-token")).isEmpty();
        assertThat(path("workload:Pod/vault/agent", AttackGraph.ALL_SECRETS)).isNull();
        assertThat(chain(path("workload:Pod/vault/api-client", AttackGraph.ALL_SECRETS))).containsExactly(
                "Pod vault/api-client",
                "T1528 projected service account token (volume api-token of Pod vault/api-client)",
                "T1528 ServiceAccount vault/agent",
                "T1552.007 all secrets");
    }

    @Test
    void anAdmittedPodsOwnTokenVolumeReplacesTheImplicitOne() {
        AttackGraph.Builder b = AttackGraph.builder();
        Manifests.parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: admitted, namespace: shop}
                spec:
                  serviceAccountName: web
                  volumes:
                  - name: kube-api-access-x1y2z
                    projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3607}},
                                          {configMap: {name: kube-root-ca.crt}}]}
                  containers:
                  - name: app
                    image: app
                    volumeMounts: [{name: kube-api-access-x1y2z, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
                """).forEach(b::add);
        AttackGraph g = b.build();
        assertThat(g.from("workload:Pod/shop/admitted")).extracting(e -> e.to().id())
                .containsExactly("volume:Pod/shop/admitted/kube-api-access-x1y2z");
        assertThat(g.from("volume:Pod/shop/admitted/kube-api-access-x1y2z")).extracting(e -> e.to().id())
                .containsExactly("sa:shop/web");
    }

    @Test
    void whoMayGetSecretsOfANamespaceReachesEachOne() {
        assertThat(graph.from("user:sally")).extracting(e -> e.to().id())
                .contains("secret:shop/admin-bot-token", "secret:shop/db-password");
        assertThat(graph.from("user:mina")).noneMatch(e -> e.to().kind() == AttackGraph.Kind.SECRET);
        assertThat(graph.from("sa:shop/reader")).extracting(e -> e.to().id())
                .as("resourceNames limit the reader to one Secret").doesNotContain("secret:shop/db-password");
    }
}
