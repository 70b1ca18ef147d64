package dev.vigil.lab.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * fabric8's CRUD dispatcher plus what it lacks for kubectl and in-cluster clients: discovery
 * documents, Table responses, typed list kinds ({@code PodList} where the mock says {@code List})
 * and object UIDs chosen by the lab. Everything else (create, get, list, watch, patch, delete) is
 * the CRUD store.
 */
final class LabApiDispatcher extends KubernetesCrudDispatcher {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String full = request.getPath();
        int q = full.indexOf('?');
        String path = q >= 0 ? full.substring(0, q) : full;
        boolean get = "GET".equals(request.getMethod());
        if (get) {
            Map<String, Object> doc = switch (path) {
                case "/version", "/version/" -> Discovery.version();
                case "/api", "/api/" -> Discovery.coreVersions();
                case "/apis", "/apis/" -> Discovery.groups();
                case "/api/v1" -> Discovery.resources("v1");
                default -> path.startsWith("/apis/") && path.split("/").length == 4
                        ? Discovery.resources(path.substring("/apis/".length())) : null;
            };
            if (doc != null) {
                return json(200, doc);
            }
            if (path.startsWith("/apis/") && path.split("/").length == 4) {
                return json(404, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure",
                        "message", "the server could not find the requested resource", "reason", "NotFound", "code", 404));
            }
            if (path.startsWith("/openapi/")) {
                return json(404, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound", "code", 404));
            }
        }
        String wantedUid = "POST".equals(request.getMethod())
                ? JSON.readTree(new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .path("metadata").path("uid").asString("")
                : "";
        MockResponse response = super.dispatch(request);
        if (!wantedUid.isEmpty()) {
            return keepUid(wantedUid, response);
        }
        String accept = request.getHeader("Accept");
        boolean watch = full.contains("watch=true") || full.contains("watch=1");
        String resource = resourceOf(path);
        if (!get || watch || response.code() != 200 || resource == null) {
            return response;
        }
        JsonNode body = JSON.readTree(response.getBody().readUtf8());
        if (accept != null && accept.contains("as=Table")) {
            return json(200, Tables.toTable(resource, body, Instant.now()));
        }
        if (body instanceof ObjectNode list && "List".equals(list.path("kind").asString())) {
            Discovery.RESOURCES.stream().filter(r -> r.name().equals(resource)).findFirst().ifPresent(r -> {
                list.put("kind", r.kind() + "List");
                list.put("apiVersion", r.groupVersion());
            });
        }
        return json(200, body);
    }

    /**
     * Creates like kube-apiserver would, except that a {@code metadata.uid} chosen by the lab is
     * kept (the mock assigns its own): pod UIDs must match the kubelet-style cgroup paths, owner
     * references the owners.
     */
    private MockResponse keepUid(String wanted, MockResponse response) {
        if (response.code() != 201) {
            return response;
        }
        String body = response.getBody().readUtf8();
        String assigned = JSON.readTree(body).path("metadata").path("uid").asString("");
        if (assigned.isEmpty() || assigned.equals(wanted)) {
            return response.setBody(body);
        }
        String from = "\"uid\":\"" + assigned + "\"";
        String to = "\"uid\":\"" + wanted + "\"";
        for (var entry : getMap().entrySet()) {
            if (entry.getValue().contains(from)) {
                entry.setValue(entry.getValue().replace(from, to));
            }
        }
        return response.setBody(body.replace(from, to));
    }

    /** The resource name in {@code /api/v1/…} or {@code /apis/<g>/<v>/…}, or null for other paths. */
    static String resourceOf(String path) {
        String[] s = path.split("/");
        int start;
        if (path.startsWith("/api/v1/")) {
            start = 3;
        } else if (path.startsWith("/apis/") && s.length > 4) {
            start = 4;
        } else {
            return null;
        }
        if (s.length > start + 2 && s[start].equals("namespaces")) {
            return s[start + 2];
        }
        return s.length > start ? s[start] : null;
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(JSON.writeValueAsString(body));
    }
}
