package dev.vigil.posture.rbac;

import java.util.List;

/**
 * A Role or ClusterRole as the authorizer sees it: its rules after aggregation.
 *
 * @param namespace  empty for ClusterRoles
 * @param aggregated whether the rules came from an {@code aggregationRule} rather than the object's own list
 */
public record PolicyRole(String kind, String namespace, String name, List<Rule> rules, boolean aggregated) {

    public static final String ROLE = "Role";
    /** The API group of roles and bindings. */
    public static final String API_GROUP = "rbac.authorization.k8s.io";
    public static final String CLUSTER_ROLE = "ClusterRole";

    public PolicyRole {
        rules = List.copyOf(rules);
    }

    /** {@code ClusterRole edit} or {@code Role shop/deployer}. */
    public String describe() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
