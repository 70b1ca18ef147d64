package dev.vigil.posture.source;

import dev.vigil.posture.report.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod a workload object runs: the Pod itself, or the pod template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or PodTemplate, as Pod Security
 * admission extracts it. {@code metadata} and {@code spec} are the template's (empty objects when
 * absent); {@code path} says where in the owner they were found. Every audit reads pods through this
 * one view of the JSON tree: Pod Security, the workload checks, RBAC's risky workloads, attack paths
 * and image integrity.
 */
public record PodTemplate(KubeObject owner, ObjectNode metadata, ObjectNode spec, String path) {

    /** Kinds whose pod template sits at {@code spec.template}. */
    public static final Set<String> TEMPLATED_KINDS = Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job");

    /** Every kind that carries a pod or a pod template. */
    public static final Set<String> WORKLOAD_KINDS = Set.of(
            "Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
            "Job", "CronJob");

    /** The namespace of objects that name none, as the API server defaults it. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** The pod (template) of {@code object}, or null when its kind carries none. */
    public static PodTemplate of(KubeObject object) {
        JsonNode json = object.json();
        return switch (object.kind()) {
            case "Pod" -> new PodTemplate(object, object(json.get("metadata")), object(json.get("spec")), "");
            case "PodTemplate" -> template(object, json.path("template"), "template");
            case "CronJob" -> template(object, json.path("spec").path("jobTemplate").path("spec").path("template"),
                    "spec.jobTemplate.spec.template");
            default -> TEMPLATED_KINDS.contains(object.kind())
                    ? template(object, json.path("spec").path("template"), "spec.template")
                    : null;
        };
    }

    private static PodTemplate template(KubeObject owner, JsonNode template, String path) {
        return new PodTemplate(owner, object(template.get("metadata")), object(template.get("spec")), path);
    }

    private static ObjectNode object(JsonNode node) {
        return node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /**
     * The pods worth reporting: those whose controlling owner is not itself among {@code all}, so a
     * Deployment is reported once rather than again for each ReplicaSet and Pod it controls.
     */
    public static List<PodTemplate> topLevel(List<PodTemplate> all) {
        Set<String> keys = new HashSet<>();
        all.forEach(p -> keys.add(p.key()));
        List<PodTemplate> out = new ArrayList<>();
        for (PodTemplate p : all) {
            String controller = p.controller();
            if (controller == null || !keys.contains(controller)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Each of {@link #topLevel(List) the top-level pods} of {@code all}, by {@link #key()}, with the objects
     * under it: itself, and the ReplicaSets and Pods its controller references lead to (so a Deployment
     * gets the Pods that run it).
     */
    public static Map<String, List<PodTemplate>> byTopLevel(List<PodTemplate> all) {
        Map<String, PodTemplate> byKey = new HashMap<>();
        all.forEach(p -> byKey.put(p.key(), p));
        Map<String, List<PodTemplate>> out = new LinkedHashMap<>();
        for (PodTemplate p : all) {
            PodTemplate top = p;
            for (int hop = 0; hop < byKey.size(); hop++) {
                String controller = top.controller();
                PodTemplate up = controller == null ? null : byKey.get(controller);
                if (up == null) {
                    break;
                }
                top = up;
            }
            out.computeIfAbsent(top.key(), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /** Init containers, containers, then ephemeral containers: the order Pod Security admission visits them. */
    public List<JsonNode> containers() {
        List<JsonNode> out = new ArrayList<>();
        for (String field : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(field)) {
                if (c.isObject()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** The template's annotations (string values only). */
    public Map<String, String> annotations() {
        return KubeObject.stringMap(metadata.path("annotations"));
    }

    /** The template's labels (string values only). */
    public Map<String, String> labels() {
        return KubeObject.stringMap(metadata.path("labels"));
    }

    /** The owner's namespace, {@link #DEFAULT_NAMESPACE} when it names none. */
    public String namespace() {
        return owner.namespace() == null ? DEFAULT_NAMESPACE : owner.namespace();
    }

    /** {@code Kind/namespace/name} of the owner, the key controller references are matched by. */
    public String key() {
        return owner.kind() + "/" + namespace() + "/" + owner.name();
    }

    /** {@code Kind namespace/name} of the owner, for messages. */
    public String describe() {
        return owner.kind() + " " + namespace() + "/" + owner.name();
    }

    /** The report resource of the owner. */
    public Resource resource() {
        return owner.resource();
    }

    /** The service account the pods run as: {@code serviceAccountName}, the deprecated {@code serviceAccount}, else {@code default}. */
    public String serviceAccount() {
        for (String field : new String[] {"serviceAccountName", "serviceAccount"}) {
            String sa = KubeObject.text(spec.get(field));
            if (sa != null && !sa.isEmpty()) {
                return sa;
            }
        }
        return "default";
    }

    /** The pod's {@code automountServiceAccountToken}, or null when it leaves it to the service account. */
    public Boolean automountToken() {
        JsonNode a = spec.get("automountServiceAccountToken");
        return a != null && a.isBoolean() ? a.booleanValue() : null;
    }

    /** The node the pod is scheduled on ({@code spec.nodeName}), or null. */
    public String nodeName() {
        String n = KubeObject.text(spec.get("nodeName"));
        return n == null || n.isEmpty() ? null : n;
    }

    /** {@code Kind/namespace/name} of the owner's controlling owner reference, or null. */
    public String controller() {
        String out = null;
        for (JsonNode ref : owner.json().path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                out = KubeObject.text(ref.get("kind")) + "/" + namespace() + "/" + KubeObject.text(ref.get("name"));
            }
        }
        return out;
    }

    /** The Pod's status (with container statuses), or a missing node for templates. */
    public JsonNode status() {
        return owner.kind().equals("Pod") ? owner.json().path("status") : MissingNode.getInstance();
    }

    /** The volume named {@code name} in the pod spec, or null. */
    public JsonNode volume(String name) {
        for (JsonNode v : spec.path("volumes")) {
            if (name.equals(KubeObject.text(v.get("name")))) {
                return v;
            }
        }
        return null;
    }
}
