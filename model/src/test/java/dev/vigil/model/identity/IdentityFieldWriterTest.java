package dev.vigil.model.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.record.JsonLine;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class IdentityFieldWriterTest {

    private static final String ID = "4a4021c50439e3b9a1f0c2d4b6a8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091";
    private static final String DIGEST = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static String render(Consumer<JsonLine> writer) {
        JsonLine line = new JsonLine().reset();
        writer.accept(line);
        return line.end().toString();
    }

    @Test
    void containerGetsFalcoFieldNames() {
        ContainerIdentity c = new ContainerIdentity(ID, "containerd", "shop", "api-7c9d8-x2x4q", "uid-1", "api",
                "registry.local:5000/shop/api:1.4.2", DIGEST, new WorkloadRef("shop", "Deployment", "api"));
        assertThat(render(s -> IdentityFieldWriter.container(s, c))).isEqualTo("{"
                + "\"container.id\":\"4a4021c50439\","
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
        ContainerIdentity c = new ContainerIdentity(ID, null, "shop", "p", null, "app",
                "registry.local:5000/app@" + DIGEST, null, null);
        assertThat(render(s -> IdentityFieldWriter.container(s, c))).isEqualTo("{"
                + "\"container.id\":\"4a4021c50439\","
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
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.ORIG, pod);
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.RESP, svc);
        })).isEqualTo("{\"orig_namespace\":\"shop\",\"orig_pod\":\"api-1\",\"orig_workload\":\"shop/api\","
                + "\"orig_workload_kind\":\"Deployment\",\"resp_namespace\":\"shop\",\"resp_service\":\"db\"}");
        assertThat(render(s -> {
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.ORIG, new Endpoint.Node("192.168.50.10", "node-1"));
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.RESP,
                    new Endpoint.External("203.0.113.10", "example.org"));
        })).isEqualTo("{\"orig_node\":\"node-1\",\"resp_name\":\"example.org\"}");
        assertThat(render(s -> {
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.RESP, new Endpoint.External("203.0.113.10", null));
            IdentityFieldWriter.endpoint(s, IdentityFieldWriter.Side.ORIG, null);
        })).isEqualTo("{}");
    }
}
