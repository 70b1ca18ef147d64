package dev.vigil.posture.rbac;

import dev.vigil.posture.Manifests;

/** The crafted cluster {@code rbac/crafted.yaml} whose authorizer answers the RBAC tests tabulate. */
final class CraftedCluster {

    private static final RbacPolicy POLICY = load();

    private CraftedCluster() {
    }

    static RbacPolicy policy() {
        return POLICY;
    }

    private static RbacPolicy load() {
        RbacPolicy.Builder b = RbacPolicy.builder();
        Manifests.resource("rbac/crafted.yaml").forEach(b::add);
        return b.build();
    }
}
