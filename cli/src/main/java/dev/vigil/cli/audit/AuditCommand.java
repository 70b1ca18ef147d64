package dev.vigil.cli.audit;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil audit}: posture audits of a live cluster or of manifest files. Each audit exits 0 when
 * done, {@link #EXIT_FINDINGS} when {@code --fail-on} finds a finding that is not waived at or above the
 * threshold, 1 on errors and 2 on usage mistakes.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit a cluster or manifests: Pod Security Standards, workload hardening and CIS checks, "
                + "RBAC, attack paths, image integrity.",
        subcommands = {PssCommand.class, WorkloadsCommand.class, RbacCommand.class, AttackPathsCommand.class,
                ImagesCommand.class})
public final class AuditCommand implements Runnable {

    /** Exit code when {@code --fail-on} matched a finding that is not waived. */
    public static final int EXIT_FINDINGS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
