package dev.vigil.posture.workload;

import dev.vigil.posture.source.KubeObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Kubernetes label selectors ({@code matchLabels} and {@code matchExpressions}) as the API evaluates them. */
final class Selectors {

    private Selectors() {
    }

    /** True when {@code selector} selects {@code labels}; an empty or absent selector selects everything. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            if (!e.getValue().isString() || !e.getValue().stringValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = KubeObject.text(expr.get("key"));
            String op = KubeObject.text(expr.get("operator"));
            Set<String> values = new HashSet<>();
            for (JsonNode v : expr.path("values")) {
                values.add(v.asString(""));
            }
            String value = labels.get(key);
            boolean ok = switch (op == null ? "" : op) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
