package dev.vigil.kube.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.record.JsonLine;
import org.junit.jupiter.api.Test;

class IdentityFieldsTest {

    private static final String ID = KubeObjects.containerId(1);
    private static final String DIGEST = "sha256:" + KubeObjects.containerId(2);

    private static String render(java.util.function.Consumer<JsonLine> writer) {
        JsonLine line = new JsonLine().reset();
        writer.accept(line);
        return line.end().toString();
    }

    @Test
    void containerGetsFalcoFieldNames() {
        ContainerIdentity c = new ContainerIdentity(ID, "containerd", "shop", "api-7c9d8-x2x4q", "uid-1", "api",
                "registry.local:5000/shop/api:1.4.2", DIGEST, new WorkloadRef("shop", "Deployment", "api"));
        assertThat(render(s -> IdentityFields.container(s, c))).isEqualTo("{"
                + "\"container.id\":\"" + ID.substring(0, 12) + "\","
                + "\"container.full_id\":\"" + ID + "\","
                + "\"container.name\":\"api\","
                + "\"container.type\":\"containerd\","
                + "\"container.image\":\"registry.local:5000/shop/api:1.4.2\","
                + "\"container.image.repository\":\"registry.local:5000/shop/api\","
                + "\"container.image.tag\":\"1.4.2\","
                + "\"container.image.digest\":\"" + DIGEST + "\","
                + "\"k8s.ns.name\":\"shop\","
                + "\"k8s.pod.name\":\"api-7c9d8-x2x4q\","
                + "\"k8s.pod.uid\":\"uid-1\","
                + "\"k8s.workload.kind\":\"Deployment\","
                + "\"k8s.workload.name\":\"api\"}");
    }

    @Test
    void imagePinnedByDigestHasNoTagAndUnknownFieldsAreLeftOut() {
        ContainerIdentity c = new ContainerIdentity(ID, null, "shop", "p", null, "app", "registry.local:5000/app@"
                + DIGEST, null, null);
        assertThat(render(s -> IdentityFields.container(s, c))).isEqualTo("{"
                + "\"container.id\":\"" + ID.substring(0, 12) + "\","
                + "\"container.full_id\":\"" + ID + "\","
                + "\"container.name\":\"app\","
                + "\"container.image\":\"registry.local:5000/app@" + DIGEST + "\","
                + "\"container.image.repository\":\"registry.local:5000/app\","
                + "\"k8s.ns.name\":\"shop\","
                + "\"k8s.pod.name\":\"p\"}");
    }

    @Test
    void flowSidesGetPrefixedFields() {
        Endpoint pod = new Endpoint.Pod("10.244.0.5", "shop", "api-1", new WorkloadRef("shop", "Deployment", "api"),
                "node-1");
        Endpoint svc = new Endpoint.Service("10.96.0.10", "shop", "db");
        assertThat(render(s -> {
            IdentityFields.endpoint(s, IdentityFields.Side.ORIG, pod);
            IdentityFields.endpoint(s, IdentityFields.Side.RESP, svc);
        })).isEqualTo("{\"orig_kind\":\"pod\",\"orig_namespace\":\"shop\",\"orig_name\":\"api-1\","
                + "\"orig_workload_kind\":\"Deployment\",\"orig_workload\":\"api\",\"orig_node\":\"node-1\","
                + "\"resp_kind\":\"service\",\"resp_namespace\":\"shop\",\"resp_name\":\"db\"}");
        assertThat(render(s -> {
            IdentityFields.endpoint(s, IdentityFields.Side.ORIG, new Endpoint.Node("192.168.50.10", "node-1"));
            IdentityFields.endpoint(s, IdentityFields.Side.RESP, new Endpoint.External("203.0.113.10", "example.org"));
        })).isEqualTo("{\"orig_kind\":\"node\",\"orig_name\":\"node-1\","
                + "\"resp_kind\":\"external\",\"resp_name\":\"example.org\"}");
        assertThat(render(s -> IdentityFields.endpoint(s, IdentityFields.Side.RESP,
                new Endpoint.External("203.0.113.10", null)))).isEqualTo("{\"resp_kind\":\"external\"}");
    }
}
