package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Aggregation converges like the controller, one link of a chain per pass when roles are visited in
 * an order that works against it; {@link RbacPolicy#MAX_AGGREGATION_ROUNDS} passes bound it.
 */
class AggregationLimitTest {

    /** {@code agg-000} aggregates {@code agg-001} … which aggregates the leaf: one link per pass. */
    static RbacPolicy chain(int links) {
        RbacPolicy.Builder b = RbacPolicy.builder();
        for (int i = 0; i < links; i++) {
            Manifests.parse("""
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRole
                    metadata: {name: agg-%03d, labels: {link: l%d}}
                    aggregationRule: {clusterRoleSelectors: [{matchLabels: {link: l%d}}]}
                    """.formatted(i, i, i + 1)).forEach(b::add);
        }
        b.role(new PolicyRole(PolicyRole.CLUSTER_ROLE, "", "leaf",
                List.of(new Rule(List.of("get"), List.of(""), List.of("secrets"), List.of(), List.of())), false),
                Map.of("link", "l" + links));
        return b.build();
    }

    @Test
    void chainWithinTheLimitConverges() {
        RbacPolicy p = chain(RbacPolicy.MAX_AGGREGATION_ROUNDS - 1);
        assertThat(p.anomalies()).isEmpty();
        assertThat(p.clusterRole("agg-000").rules()).hasSize(1);
    }

    @Test
    void chainBeyondTheLimitIsReported() {
        RbacPolicy p = chain(RbacPolicy.MAX_AGGREGATION_ROUNDS + 1);
        assertThat(p.anomalies()).containsExactly("ClusterRole aggregation did not converge after 64 rounds "
                + "(aggregated roles=65); rules may be incomplete");
        assertThat(p.clusterRole("agg-000").rules()).isEmpty();
    }

    @Test
    void invalidSelectorKeepsStoredRules() {
        RbacPolicy.Builder b = RbacPolicy.builder();
        Manifests.parse("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: odd}
                aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: k, operator: Sometimes}]}]}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """).forEach(b::add);
        RbacPolicy p = b.build();
        assertThat(p.anomalies()).containsExactly(
                "ClusterRole odd: invalid aggregationRule selector; the aggregation controller keeps its stored rules");
        assertThat(p.clusterRole("odd").rules()).hasSize(1);
    }
}
