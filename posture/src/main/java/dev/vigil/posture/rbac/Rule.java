package dev.vigil.posture.rbac;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One RBAC policy rule, matched exactly as the Kubernetes RBAC authorizer does
 * ({@code RuleAllows} in {@code plugin/pkg/auth/authorizer/rbac/rbac.go} and the helpers in
 * {@code pkg/apis/rbac/v1/evaluation_helpers.go}):
 * <ul>
 *   <li>verbs and apiGroups match on {@code *} or equality;</li>
 *   <li>resources match on {@code *}, on equality with {@code resource/subresource}, or, for a
 *       request with a subresource, on {@code *}{@code /subresource} — so {@code pods} does not grant
 *       {@code pods/exec};</li>
 *   <li>resourceNames, when present, require the request to carry one of the names: a request
 *       without a name ({@code create}, {@code list}) never matches such a rule;</li>
 *   <li>nonResourceURLs match on {@code *}, equality, or a prefix when the rule ends in {@code *}.</li>
 * </ul>
 * Lists keep their order so that two rules are equal exactly when the aggregation controller's
 * deep equality says so.
 */
public record Rule(List<String> verbs, List<String> apiGroups, List<String> resources,
                   List<String> resourceNames, List<String> nonResourceURLs) {

    /** The wildcard of verbs, groups, resources and non-resource URLs. */
    public static final String ALL = "*";

    public Rule {
        verbs = copy(verbs);
        apiGroups = copy(apiGroups);
        resources = copy(resources);
        resourceNames = copy(resourceNames);
        nonResourceURLs = copy(nonResourceURLs);
    }

    /** The rule of a {@code PolicyRule} in JSON; absent lists become empty. */
    public static Rule of(JsonNode r) {
        return new Rule(Selectors.strings(r.get("verbs")), Selectors.strings(r.get("apiGroups")),
                Selectors.strings(r.get("resources")), Selectors.strings(r.get("resourceNames")),
                Selectors.strings(r.get("nonResourceURLs")));
    }

    /** Whether this rule alone allows {@code request}. */
    public boolean allows(Request request) {
        if (!verbMatches(request.verb())) {
            return false;
        }
        if (!request.isResourceRequest()) {
            return nonResourceURLMatches(request.path());
        }
        return apiGroupMatches(request.apiGroup())
                && resourceMatches(request.combinedResource(), request.subresource())
                && resourceNameMatches(request.name());
    }

    public boolean verbMatches(String verb) {
        return verbs.contains(ALL) || verbs.contains(verb);
    }

    public boolean apiGroupMatches(String group) {
        return apiGroups.contains(ALL) || apiGroups.contains(group);
    }

    /**
     * @param combined     {@code resource} or {@code resource/subresource}
     * @param subresource  empty when the request has none
     */
    public boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2
                    && r.startsWith("*/") && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    public boolean resourceNameMatches(String name) {
        return resourceNames.isEmpty() || resourceNames.contains(name);
    }

    public boolean nonResourceURLMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(path)) {
                return true;
            }
            if (u.endsWith("*") && path.startsWith(trimTrailingStars(u))) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} verbs on {@code *} resources of {@code *} groups for every name: full control where bound. */
    public boolean grantsEverything() {
        return verbs.contains(ALL) && apiGroups.contains(ALL) && resources.contains(ALL) && resourceNames.isEmpty();
    }

    /** Compact text as kubectl describes rules: {@code verbs=[get] groups=[""] resources=[pods]}. */
    public String describe() {
        StringBuilder b = new StringBuilder("verbs=").append(verbs);
        if (!resources.isEmpty()) {
            b.append(" groups=").append(apiGroups.stream().map(g -> g.isEmpty() ? "\"\"" : g).toList())
                    .append(" resources=").append(resources);
        }
        if (!resourceNames.isEmpty()) {
            b.append(" names=").append(resourceNames);
        }
        if (!nonResourceURLs.isEmpty()) {
            b.append(" urls=").append(nonResourceURLs);
        }
        return b.toString();
    }

    static String trimTrailingStars(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '*') {
            end--;
        }
        return s.substring(0, end);
    }

    /** An unmodifiable copy with null items as empty strings (as Go decodes them); immutable lists are kept as they are. */
    private static List<String> copy(List<String> l) {
        if (l == null) {
            return List.of();
        }
        String[] out = null;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == null) {
                out = out == null ? l.toArray(String[]::new) : out;
                out[i] = "";
            }
        }
        return out == null ? List.copyOf(l) : List.of(out);
    }
}
