package dev.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process {@code vigil …} run for tests: exit code, standard output and standard error. */
public record CliRun(int exit, String out, String err) {

    /** Runs the fully configured command line with {@code args}, capturing its output. */
    public static CliRun vigil(String... args) {
        var cli = Vigil.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
