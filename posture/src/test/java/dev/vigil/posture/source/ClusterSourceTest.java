package dev.vigil.posture.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.pss.PssAudit;
import dev.vigil.posture.waiver.Waivers;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A live cluster (the fabric8 mock API server in CRUD mode) read page by page, judged by namespace labels. */
@EnableKubernetesMockClient(crud = true)
class ClusterSourceTest {

    KubernetesClient client;

    @Test
    void namespacesAreJudgedByTheirPodSecurityLabels() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("strict")
                .addToLabels("pod-security.kubernetes.io/enforce", "baseline")
                .addToLabels("pod-security.kubernetes.io/warn", "restricted")
                .addToLabels("pod-security.kubernetes.io/warn-version", "v1.24").endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("open").endMetadata().build()).create();
        client.pods().inNamespace("strict").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withHostNetwork(true).addNewContainer().withName("c").withImage("x:1").endContainer()
                .endSpec().build()).create();
        client.apps().deployments().inNamespace("open").resource(new DeploymentBuilder().withNewMetadata().withName("d")
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().withHostPID(true).addNewContainer()
                .withName("c").withImage("x:1").endContainer().endSpec().endTemplate().endSpec().build()).create();

        List<PssAudit.Result> results = new ArrayList<>();
        PssAudit audit = new PssAudit(null, null, Waivers.none(), results::add);
        new ClusterSource(client, List.of(ResourceKind.NAMESPACE, ResourceKind.POD, ResourceKind.DEPLOYMENT)).read(audit);

        assertThat(results).extracting(r -> r.object().kind() + " " + r.decision().level().label() + ":"
                        + r.decision().version().label() + " " + r.modes() + " " + r.decision().allowed())
                .containsExactly(
                        "Pod baseline:latest [enforce] false",
                        "Pod privileged:latest [audit] true",
                        "Pod restricted:v1.24 [warn] false",
                        "Deployment privileged:latest [enforce, audit, warn] true");
        assertThat(results.get(0).decision().violations().get(0).check()).isEqualTo("hostNamespaces");
        assertThat(results.get(0).object().origin()).isEqualTo(Origin.CLUSTER);
        assertThat(results.get(0).object().resource().file()).isNull();
    }
}
