package dev.vigil.cli.rules;

import picocli.CommandLine.Command;

/** {@code vigil rules}: commands over Falco-format rule files. */
@Command(name = "rules", description = "Check Falco-format rule files and list the fields rules can use.",
        mixinStandardHelpOptions = true, subcommands = {RulesCheckCommand.class, RulesFieldsCommand.class})
public final class RulesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
