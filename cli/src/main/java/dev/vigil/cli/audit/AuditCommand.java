package dev.vigil.cli.audit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil audit}: posture audits of a cluster or of manifests. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit a cluster or manifests: RBAC, attack paths, image integrity.",
        subcommands = {RbacCommand.class, AttackPathsCommand.class, ImagesCommand.class})
public final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
