package dev.vigil.posture.source;

import dev.vigil.posture.report.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes object as read from a file or a cluster: its identity, its whole body as a JSON
 * tree and where it came from. Every audit reads the tree directly, without binding it to model
 * classes: pods through {@link PodTemplate}, RBAC objects through {@code RbacPolicy.Builder}.
 *
 * @param namespace null for cluster-scoped objects and for namespaced objects of files that name none
 */
public record KubeObject(String apiVersion, String kind, String namespace, String name, ObjectNode json, Origin origin) {

    /** Builds the identity from the tree; returns null when it has no {@code kind} or name. */
    static KubeObject of(ObjectNode json, Origin origin) {
        String kind = text(json.get("kind"));
        JsonNode meta = json.path("metadata");
        String name = text(meta.get("name"));
        if (name == null) {
            String generate = text(meta.get("generateName"));
            name = generate == null ? null : generate + "*";
        }
        if (kind == null || name == null) {
            return null;
        }
        return new KubeObject(text(json.get("apiVersion")), kind, text(meta.get("namespace")), name, json, origin);
    }

    /** Pushes the object built from {@code json} to the sink, or an anomaly when it has no kind or name. */
    static void emit(ObjectNode json, Origin origin, ObjectSink sink) {
        KubeObject object = of(json, origin);
        if (object == null) {
            sink.anomaly(new Anomaly(origin, "no kind or metadata.name; not a Kubernetes object"));
        } else {
            sink.object(object);
        }
    }

    /** Items of a typed list ({@code PodList}) may omit kind and apiVersion; they take them from the list. */
    static void inheritKind(ObjectNode list, ObjectNode item) {
        if (list == null || item.has("kind")) {
            return;
        }
        String listKind = text(list.get("kind"));
        if (listKind != null && listKind.endsWith("List") && listKind.length() > 4) {
            item.put("kind", listKind.substring(0, listKind.length() - 4));
            String apiVersion = text(list.get("apiVersion"));
            if (apiVersion != null && !item.has("apiVersion")) {
                item.put("apiVersion", apiVersion);
            }
        }
    }

    /** The API group: {@code apps} for {@code apps/v1}, empty for the core group. */
    public String group() {
        if (apiVersion == null) {
            return "";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public ObjectNode metadata() {
        JsonNode meta = json.get("metadata");
        return meta instanceof ObjectNode o ? o : json.objectNode();
    }

    public Map<String, String> labels() {
        return stringMap(json.path("metadata").path("labels"));
    }

    public Map<String, String> annotations() {
        return stringMap(json.path("metadata").path("annotations"));
    }

    /** The report resource: kind, namespace, name and, for file input, file and line. */
    public Resource resource() {
        return new Resource(kind, namespace, name, origin.file(), origin.line());
    }

    /** The string entries of a JSON object (non-string values are skipped), in order. */
    public static Map<String, String> stringMap(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getValue().isString()) {
                out.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return out;
    }

    /** The node's string value, or null when absent or not a string. */
    public static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }
}
