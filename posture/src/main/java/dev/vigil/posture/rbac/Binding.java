package dev.vigil.posture.rbac;

import java.util.List;

/**
 * A RoleBinding or ClusterRoleBinding: who ({@code subjects}) gets the rules of which role, where.
 *
 * @param namespace    empty for ClusterRoleBindings
 * @param roleKind     {@code Role} or {@code ClusterRole}; anything else grants nothing
 * @param roleApiGroup as written in {@code roleRef.apiGroup}
 */
public record Binding(String kind, String namespace, String name, String roleKind, String roleName,
                      String roleApiGroup, List<Subject> subjects) {

    public static final String ROLE_BINDING = "RoleBinding";
    public static final String CLUSTER_ROLE_BINDING = "ClusterRoleBinding";

    public Binding {
        namespace = namespace == null ? "" : namespace;
        roleKind = roleKind == null ? "" : roleKind;
        roleName = roleName == null ? "" : roleName;
        roleApiGroup = roleApiGroup == null ? "" : roleApiGroup;
        subjects = List.copyOf(subjects);
    }

    public boolean clusterWide() {
        return kind.equals(CLUSTER_ROLE_BINDING);
    }

    /** {@code ClusterRoleBinding admins} or {@code RoleBinding shop/deployers}. */
    public String describe() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    /** The role reference as written: {@code ClusterRole edit}. */
    public String describeRole() {
        return roleKind + " " + roleName;
    }
}
