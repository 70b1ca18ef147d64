package dev.vigil.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vigil} command. Subcommands live one class per command in feature packages; exit codes
 * and error rendering are decided here only (stack traces with {@code --debug}).
 *
 * <p>Start-up: picocli builds the model of every command it is given (options, mixins, nested
 * commands) by reflection, about a tenth of a second for all of them; {@link #main} builds only the
 * command the user named, all of them when the name is not a command's (help, errors).
 */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runtime security for Kubernetes: see what pods do, catch attackers, prove compliance.")
public final class Vigil implements Runnable {

    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
            CommandLine.HelpCommand.class,
            dev.vigil.cli.net.PcapCommand.class,
            dev.vigil.cli.net.CaptureCommand.class,
            dev.vigil.cli.audit.AuditCommand.class,
            dev.vigil.cli.host.HostCommand.class,
            dev.vigil.cli.lab.LabCommand.class,
            dev.vigil.cli.demo.DemoCommand.class,
            dev.vigil.cli.rules.RulesCommand.class,
            dev.vigil.cli.agent.AgentCommand.class,
            dev.vigil.cli.policy.PolicyCommand.class);

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
        System.exit(commandLine(args.length > 0 ? args[0] : null).execute(args));
    }

    /** The fully configured command line with every subcommand, for tests. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The configured command line with only subcommand {@code first} when that names one, else with
     * every subcommand.
     */
    static CommandLine commandLine(String first) {
        Class<?> named = COMMANDS.stream().filter(c -> name(c).equals(first)).findFirst().orElse(null);
        CommandLine cli = new CommandLine(new Vigil());
        for (Class<?> command : COMMANDS) {
            if (named == null || command == named) {
                cli.addSubcommand(command);
            }
        }
        cli.setExecutionExceptionHandler(Vigil::renderError);
        cli.setUsageHelpAutoWidth(true);
        cli.setOut(new StandardOutput());
        return cli;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * Returns the process's standard output as a byte stream when {@code out} is the writer
     * {@link #commandLine()} set for it (flushed first, so what it holds comes before), or null when
     * it is another writer (a test's) that must be written to instead. For commands that write bulk
     * UTF-8 bytes, which would otherwise be decoded to chars for the writer to encode again. The
     * stream is not buffered and must not be closed.
     */
    public static OutputStream standardOutput(PrintWriter out) {
        if (!(out instanceof StandardOutput)) {
            return null;
        }
        out.flush();
        return new FileOutputStream(FileDescriptor.out);
    }

    /** Picocli's own standard-output writer (autoflush, default charset), recognisable by {@link #standardOutput}. */
    private static final class StandardOutput extends PrintWriter {
        StandardOutput() {
            super(new BufferedWriter(new OutputStreamWriter(System.out, Charset.defaultCharset())), true);
        }
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
