package dev.vigil.posture.attackpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import dev.vigil.posture.attackpath.AttackPaths.AttackPath;
import dev.vigil.posture.report.Finding;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attack paths on {@code attackpath/crafted.yaml}: each kind of step, positive and negative. */
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
                "T1528 ServiceAccount shop/web",
                "T1610 ServiceAccount shop/admin-bot",
                "T1078 cluster-admin equivalence");
        assertThat(chain(path(AttackGraph.INTERNET, AttackGraph.NODE_ROOT))).containsExactly(
                "internet", "T1190 Deployment shop/web", "T1528 ServiceAccount shop/web", "T1610 root on a node");
    }

    @Test
    void escapeToANodeThenItsPodsTokens() {
        assertThat(chain(path("workload:Pod/secure/escaper", AttackGraph.ALL_SECRETS))).containsExactly(
                "Pod secure/escaper", "T1611 root on node node-1", "T1528 ServiceAccount secure/db", "T1552.007 all secrets");
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
        assertThat(edge("workload:Pod/secure/docker-socket", AttackGraph.NODE_ROOT)).as("runtime socket").isTrue();
        assertThat(edge("workload:Pod/secure/tracer", AttackGraph.NODE_ROOT)).as("SYS_PTRACE + hostPID").isTrue();
        assertThat(edge("workload:Pod/secure/logs", AttackGraph.NODE_ROOT))
                .as("hostPath /var/log/app is not sensitive, the unmounted socket volume does not count, SYS_PTRACE without hostPID")
                .isFalse();
        assertThat(Escapes.sensitive("/var")).as("/var contains /var/log").isTrue();
        assertThat(Escapes.sensitive("/var/log/app")).isFalse();
        assertThat(Escapes.sensitive("/")).isTrue();
    }

    @Test
    void noTokenMountNoTokenEdge() {
        assertThat(edge("workload:Deployment/secure/api", "sa:secure/api")).isFalse();
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
        assertThat(graph.from("sa:shop/reader")).filteredOn(e -> e.to().id().equals("sa:shop/admin-bot"))
                .singleElement().satisfies(e -> {
                    assertThat(e.technique()).isEqualTo(Technique.STEAL_TOKEN);
                    assertThat(e.reason()).isEqualTo("read token Secret shop/admin-bot-token");
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
            assertThat(x.message()).startsWith("4 steps: internet → Deployment shop/web [T1190 exposed by Service web (LoadBalancer)]");
        });
    }
}
