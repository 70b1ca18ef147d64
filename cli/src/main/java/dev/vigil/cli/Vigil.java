package dev.vigil.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
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
        cli.setOut(new StandardOutput());
        return cli;
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
