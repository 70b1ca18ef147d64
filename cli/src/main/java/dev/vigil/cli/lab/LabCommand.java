package dev.vigil.cli.lab;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil lab}: the real single-node lab that tests and the demo run against. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run the real single-node lab: pods in network namespaces, runc containers, a Kubernetes API.",
        subcommands = {LabUpCommand.class, LabStatusCommand.class, LabExecCommand.class, LabAttackCommand.class,
                LabDownCommand.class})
public final class LabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
