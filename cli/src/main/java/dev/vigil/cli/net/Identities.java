package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.model.identity.IdentityResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The identity resolver for live network records, the one place capture commands get it from:
 * without {@code --kubeconfig}, {@link IdentityResolver#NONE}; with it, the cluster-backed resolver
 * of the {@code kube} module, wired here once that module provides it.
 */
final class Identities {

    private Identities() {
    }

    static IdentityResolver resolver(Path kubeconfig) {
        if (kubeconfig == null) {
            return IdentityResolver.NONE;
        }
        if (!Files.isReadable(kubeconfig)) {
            throw new UserError("--kubeconfig " + kubeconfig + ": no such readable file; pass the lab's kubeconfig");
        }
        throw new UserError("this build cannot resolve pod names yet (the kube module's resolver is not part of it);"
                + " run without --kubeconfig to capture without pod and workload names");
    }
}
