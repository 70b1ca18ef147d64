package dev.vigil.posture.rbac;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Label selector matching as {@code metav1.LabelSelectorAsSelector}: matchLabels are equalities,
 * matchExpressions use In, NotIn, Exists, DoesNotExist; an empty selector selects everything. A
 * selector the API server would reject (unknown operator, In/NotIn without values) selects nothing,
 * which is what the aggregation controller does when it fails to convert it.
 */
final class Selectors {

    private Selectors() {
    }

    static boolean valid(LabelSelector s) {
        for (LabelSelectorRequirement r : expressions(s)) {
            String op = r.getOperator() == null ? "" : r.getOperator();
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            boolean ok = switch (op) {
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

    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement r : expressions(s)) {
            String v = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && r.getValues().contains(v);
                case "NotIn" -> v == null || !r.getValues().contains(v);
                case "Exists" -> v != null;
                default -> v == null;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static List<LabelSelectorRequirement> expressions(LabelSelector s) {
        return s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    }
}
