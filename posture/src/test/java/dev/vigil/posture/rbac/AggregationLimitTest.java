package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

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
            var role = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                    .withNewMetadata().withName("agg-%03d".formatted(i)).withLabels(Map.of("link", "l" + i)).endMetadata()
                    .withNewAggregationRule().addNewClusterRoleSelector().withMatchLabels(Map.of("link", "l" + (i + 1)))
                    .endClusterRoleSelector().endAggregationRule().build();
            b.add(role);
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
        var role = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata().withName("odd").endMetadata()
                .withNewAggregationRule().addNewClusterRoleSelector().addNewMatchExpression().withKey("k")
                .withOperator("Sometimes").endMatchExpression().endClusterRoleSelector().endAggregationRule()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get").endRule().build();
        RbacPolicy.Builder b = RbacPolicy.builder();
        b.add(role);
        RbacPolicy p = b.build();
        assertThat(p.anomalies()).containsExactly(
                "ClusterRole odd: invalid aggregationRule selector; the aggregation controller keeps its stored rules");
        assertThat(p.clusterRole("odd").rules()).hasSize(1);
    }
}
