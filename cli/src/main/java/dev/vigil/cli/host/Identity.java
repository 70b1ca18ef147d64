package dev.vigil.cli.host;

import dev.vigil.cli.UserError;
import dev.vigil.model.identity.IdentityResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses how container ids are turned into pods for the host commands. */
final class Identity {

    private Identity() {
    }

    /** No kubeconfig: containers are named by id only. */
    static IdentityResolver resolver(Path kubeconfig) {
        if (kubeconfig == null) {
            return IdentityResolver.NONE;
        }
        if (!Files.isReadable(kubeconfig)) {
            throw new UserError("--kubeconfig: cannot read " + kubeconfig + "; give the path of a readable kubeconfig");
        }
        return PodListResolver.connect(kubeconfig);
    }
}
