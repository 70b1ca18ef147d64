package dev.vigil.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ApiServerTest {

    private static ApiServer server;
    private static KubernetesClient client;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        client = server.client();
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop")
                .withUid("4f7567e2-5850-402e-aafb-f8f0ee31a1e5").endMetadata()
                .withNewSpec().withNodeName("vigil-node").addNewContainer().withName("web").withImage("vigil.test/web:1").endContainer()
                .endSpec().withNewStatus().withPhase("Running").withPodIP("10.244.1.10")
                .addNewContainerStatus().withName("web").withReady(true).withRestartCount(0).endContainerStatus().endStatus().build())
                .create();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keepsTheUidTheLabChose() {
        Pod p = client.pods().inNamespace("shop").withName("web-1").get();
        assertThat(p.getMetadata().getUid()).isEqualTo("4f7567e2-5850-402e-aafb-f8f0ee31a1e5");
        assertThat(client.pods().inAnyNamespace().list().getItems()).singleElement()
                .satisfies(x -> assertThat(x.getMetadata().getUid()).isEqualTo("4f7567e2-5850-402e-aafb-f8f0ee31a1e5"));
    }

    @Test
    void servesDiscovery() throws Exception {
        JsonNode core = JSON.readTree(get("/api/v1", null).body());
        assertThat(core.path("kind").asString()).isEqualTo("APIResourceList");
        assertThat(core.path("resources").findValuesAsString("name")).contains("pods", "services", "namespaces", "nodes");
        JsonNode groups = JSON.readTree(get("/apis", null).body());
        assertThat(groups.path("groups").findValuesAsString("name")).contains("apps", "rbac.authorization.k8s.io", "discovery.k8s.io");
        assertThat(get("/apis/apps/v1", null).body()).contains("\"deployments\"");
        assertThat(get("/apis/unknown.example/v1", null).statusCode()).isEqualTo(404);
        assertThat(get("/version", null).body()).contains("\"gitVersion\"");
    }

    @Test
    void printsTablesForKubectl() throws Exception {
        JsonNode table = JSON.readTree(get("/api/v1/pods?limit=500", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").body());
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").findValuesAsString("name")).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").get(0).asString()).isEqualTo("web-1");
        assertThat(row.path("cells").get(1).asString()).isEqualTo("1/1");
        assertThat(row.path("cells").get(5).asString()).isEqualTo("10.244.1.10");
        assertThat(row.path("object").path("metadata").path("namespace").asString()).isEqualTo("shop");
    }

    @Test
    void listsCarryTheirTypedKind() throws Exception {
        JsonNode list = JSON.readTree(get("/api/v1/namespaces/shop/pods", "application/json").body());
        assertThat(list.path("kind").asString()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(list.path("items")).hasSize(1);
    }

    @Test
    void resourceOfPaths() {
        assertThat(LabApiDispatcher.resourceOf("/api/v1/pods")).isEqualTo("pods");
        assertThat(LabApiDispatcher.resourceOf("/api/v1/namespaces/a/pods/b")).isEqualTo("pods");
        assertThat(LabApiDispatcher.resourceOf("/api/v1/namespaces")).isEqualTo("namespaces");
        assertThat(LabApiDispatcher.resourceOf("/apis/apps/v1/namespaces/x/deployments")).isEqualTo("deployments");
        assertThat(LabApiDispatcher.resourceOf("/version")).isNull();
    }
}
