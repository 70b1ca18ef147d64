package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vigil} command. Subcommands live one class per command in feature packages; exit codes
 * and error rendering are decided here only (stack traces with {@code --debug}).
 */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runtime security for Kubernetes: see what pods do, catch attackers, prove compliance.",
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.vigil.cli.net.PcapCommand.class,
                dev.vigil.cli.net.CaptureCommand.class,
                dev.vigil.cli.audit.AuditCommand.class,
                dev.vigil.cli.host.HostCommand.class,
                dev.vigil.cli.lab.LabCommand.class,
                dev.vigil.cli.demo.DemoCommand.class,
                dev.vigil.cli.rules.RulesCommand.class,
                dev.vigil.cli.agent.AgentCommand.class,
                dev.vigil.cli.policy.PolicyCommand.class,
        })
public final class Vigil implements Runnable {

    /** Exit code for a usage error (bad option or argument). */
    public static final int EXIT_USAGE = 2;
    /** Exit code when the command ran but failed (an error the user must act on). */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug logging.")
    static boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The fully configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Vigil());
        cli.setExecutionExceptionHandler(Vigil::renderError);
        cli.setUsageHelpAutoWidth(true);
        return cli;
    }

    private static int renderError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (debug) {
            e.printStackTrace(cli.getErr());
        } else {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            cli.getErr().println("vigil: " + message);
            if (!(e instanceof UserError)) {
                cli.getErr().println("(run with --debug for details)");
            }
        }
        return e instanceof UserError u ? u.exitCode() : EXIT_FAILURE;
    }
}
