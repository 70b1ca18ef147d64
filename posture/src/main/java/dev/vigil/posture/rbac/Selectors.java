package dev.vigil.posture.rbac;

import dev.vigil.posture.source.KubeObject;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Label selector matching as {@code metav1.LabelSelectorAsSelector}: matchLabels are equalities,
 * matchExpressions use In, NotIn, Exists, DoesNotExist; an empty selector selects everything. A
 * selector the API server would reject (unknown operator, In/NotIn without values) selects nothing,
 * which is what the aggregation controller does when it fails to convert it. Selectors are read from
 * the JSON of {@code aggregationRule.clusterRoleSelectors[]}.
 */
final class Selectors {

    private Selectors() {
    }

    static boolean valid(JsonNode selector) {
        for (JsonNode r : selector.path("matchExpressions")) {
            String op = KubeObject.text(r.get("operator"));
            List<String> values = strings(r.get("values"));
            boolean ok = switch (op == null ? "" : op) {
                case "In", "NotIn" -> !values.isEmpty();
                case "Exists", "DoesNotExist" -> values.isEmpty();
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            if (!e.getValue().isString() || !e.getValue().stringValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode r : selector.path("matchExpressions")) {
            String v = labels.get(KubeObject.text(r.get("key")));
            List<String> values = strings(r.get("values"));
            boolean ok = switch (KubeObject.text(r.get("operator"))) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case null, default -> v == null;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The string items of a JSON array (null items as empty strings, as Go decodes them); empty when absent. */
    static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return List.of();
        }
        String[] out = new String[array.size()];
        int i = 0;
        for (JsonNode n : array) {
            out[i++] = n.isNull() ? "" : n.asString();
        }
        return List.of(out);
    }
}
