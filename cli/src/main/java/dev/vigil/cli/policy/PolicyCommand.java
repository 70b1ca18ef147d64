package dev.vigil.cli.policy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil policy}: the learned per-workload baselines and their modes, as the agent keeps them
 * in its state directory. A running agent takes up changes at its next save.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Show, change, export and import the learned workload baselines and their modes "
                + "(learn, monitor, protect).",
                "A running agent takes up changes made here within its save interval."},
        subcommands = {ListCommand.class, ModeCommand.class, ExportCommand.class, ImportCommand.class})
public final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
