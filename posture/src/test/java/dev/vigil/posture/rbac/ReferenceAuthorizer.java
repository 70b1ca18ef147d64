package dev.vigil.posture.rbac;

/**
 * A line-by-line transcription of the authorizer's VisitRulesFor over every binding, without
 * Vigil's indexes: the oracle that the indexed {@link RbacPolicy#authorize} and
 * {@link RbacPolicy#whoCan} must agree with.
 */
final class ReferenceAuthorizer {

    private ReferenceAuthorizer() {
    }

    static boolean allows(RbacPolicy policy, Principal p, Request request) {
        for (Binding b : policy.bindings()) {
            if (!b.clusterWide() && (request.namespace().isEmpty() || !b.namespace().equals(request.namespace()))) {
                continue;
            }
            boolean applies = false;
            for (Subject s : b.subjects()) {
                applies |= s.appliesTo(p, b.namespace());
            }
            if (!applies) {
                continue;
            }
            PolicyRole role = switch (b.roleKind()) {
                case "Role" -> b.clusterWide() ? null : policy.role(b.namespace(), b.roleName());
                case "ClusterRole" -> policy.clusterRole(b.roleName());
                default -> null;
            };
            if (role == null) {
                continue;
            }
            for (Rule r : role.rules()) {
                if (r.allows(request)) {
                    return true;
                }
            }
        }
        return false;
    }
}
