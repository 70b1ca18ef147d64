package dev.vigil.cli.audit;

import dev.vigil.cli.Vigil;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the vigil command line in the test's JVM: its exit code and what it printed on picocli's out and err. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cli = Vigil.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
