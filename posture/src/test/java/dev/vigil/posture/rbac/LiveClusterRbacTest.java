package dev.vigil.posture.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.ClusterSource;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.ResourceKind;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RBAC objects read from a live API server (the fabric8 mock in CRUD mode), paged, into the authorizer. */
@EnableKubernetesMockClient(crud = true)
class LiveClusterRbacTest {

    KubernetesClient client;

    @Test
    void aggregatedRoleBoundInANamespaceIsReadFromTheApi() throws Exception {
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("reader")
                .withLabels(Map.of("vigil.dev/aggregate-to-view", "true")).endMetadata()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get").endRule().build()).create();
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("view").endMetadata()
                .withNewAggregationRule().addNewClusterRoleSelector()
                .withMatchLabels(Map.of("vigil.dev/aggregate-to-view", "true")).endClusterRoleSelector()
                .endAggregationRule().build()).create();
        client.rbac().roleBindings().inNamespace("shop").resource(new RoleBindingBuilder().withNewMetadata()
                .withName("web-view").withNamespace("shop").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject().withKind("ServiceAccount").withName("web").endSubject().build()).create();
        client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("everyone-healthz").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "missing")
                .addNewSubject().withKind("Group").withName("system:authenticated").endSubject().build()).create();

        RbacPolicy.Builder b = RbacPolicy.builder();
        new ClusterSource(client, List.of(ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING, ResourceKind.ROLE,
                ResourceKind.ROLE_BINDING)).read(new ObjectSink() {
            @Override
            public void object(KubeObject o) {
                assertThat(b.add(o)).as(o.kind()).isTrue();
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                throw new AssertionError(anomaly.display());
            }
        });
        RbacPolicy policy = b.build();

        Principal web = Principal.serviceAccount("shop", "web", List.of());
        assertThat(policy.authorize(web, Request.resource("get", "", "secrets", "", "db", "shop")).reason())
                .isEqualTo("allowed by RoleBinding shop/web-view of ClusterRole view to ServiceAccount shop/web");
        assertThat(policy.authorize(web, Request.resource("get", "", "secrets", "", "db", "ops")).allowed()).isFalse();
        assertThat(policy.whoCan(Request.resource("get", "", "secrets", "", "", "shop")))
                .extracting(a -> a.subject().describe()).containsExactly("ServiceAccount shop/web");
        assertThat(policy.bindingsToMissingRoles()).extracting(Binding::name).containsExactly("everyone-healthz");
    }
}
