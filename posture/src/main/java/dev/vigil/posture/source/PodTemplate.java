package dev.vigil.posture.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod a workload object runs: the Pod itself, or the pod template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob or PodTemplate, as Pod Security
 * admission extracts it. {@code metadata} and {@code spec} are the template's (empty objects when
 * absent); {@code path} says where in the owner they were found.
 */
public record PodTemplate(KubeObject owner, ObjectNode metadata, ObjectNode spec, String path) {

    /** Kinds whose pod template sits at {@code spec.template}. */
    public static final Set<String> TEMPLATED_KINDS = Set.of(
            "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job");

    /** Every kind that carries a pod or a pod template. */
    public static final Set<String> WORKLOAD_KINDS = Set.of(
            "Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
            "Job", "CronJob");

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
    public java.util.Map<String, String> annotations() {
        return KubeObject.stringMap(metadata.path("annotations"));
    }

    /** The template's labels (string values only). */
    public java.util.Map<String, String> labels() {
        return KubeObject.stringMap(metadata.path("labels"));
    }
}
