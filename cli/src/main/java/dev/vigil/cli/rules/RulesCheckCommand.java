package dev.vigil.cli.rules;

import dev.vigil.cli.UserError;
import dev.vigil.detect.rules.LoadMessage;
import dev.vigil.detect.rules.RuleEngine;
import dev.vigil.detect.rules.RuleFile;
import dev.vigil.detect.rules.RuleSet;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rules check}: loads rule files as the agent would (Vigil's defaults first, then the
 * files in the order given) and prints the load report: rules loaded, enabled and evaluable, the
 * fields Vigil lacks for the others, errors with file:line:column.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Load rule files as the agent does and print the load report.",
                "Exit codes: 0 loaded, 1 the files have errors, 2 usage."})
public final class RulesCheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Rule files, applied in this order after Vigil's defaults (later files override earlier ones).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--no-defaults", description = "Do not load Vigil's default rules first.")
    boolean noDefaults;

    @Option(names = "--falco-compat",
            description = "Load Vigil's compatibility macros after the files, for Falco's own rule files.")
    boolean falcoCompat;

    @Option(names = "--warnings", description = "Print every warning, not only the summary.")
    boolean warnings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<RuleFile> load = new ArrayList<>();
        if (!noDefaults) {
            load.add(RuleFile.vigilDefaults());
        }
        for (Path p : files) {
            try {
                load.add(RuleFile.read(p));
            } catch (IOException e) {
                throw new UserError("cannot read rule file " + p + ": " + e.getMessage()
                        + ": check the path and that you may read it");
            }
        }
        if (falcoCompat) {
            load.add(RuleFile.falcoCompat());
        }
        if (load.isEmpty()) {
            throw new UserError("no rule files to check: give FILE arguments or drop --no-defaults");
        }
        RuleSet set = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.SOURCE).build().load(load);
        PrintWriter out = spec.commandLine().getOut();
        out.print(set.report().render());
        if (warnings) {
            for (LoadMessage m : set.report().warnings()) {
                out.println(m);
            }
        }
        out.flush();
        int errors = set.report().errors().size();
        if (errors > 0) {
            throw new UserError(errors + " error(s) in the rule files (listed above): fix them and run vigil rules check again");
        }
        return 0;
    }
}
