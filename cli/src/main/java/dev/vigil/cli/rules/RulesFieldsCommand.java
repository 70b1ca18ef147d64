package dev.vigil.cli.rules;

import dev.vigil.cli.UserError;
import dev.vigil.detect.rules.fields.FieldSource;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetFields;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil rules fields}: the fields rule conditions and outputs can use, per source. */
@Command(name = "fields", mixinStandardHelpOptions = true,
        description = "List the fields rules can use: name, type, argument, meaning.")
public final class RulesFieldsCommand implements Callable<Integer> {

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "Only this source: syscall (host events) or vigil_net (network records).")
    String source;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<FieldSource<?>> sources = List.of(HostFields.SOURCE, NetFields.SOURCE);
        if (source != null && sources.stream().noneMatch(s -> s.name().equals(source))) {
            throw new UserError("unknown source '" + source + "': use syscall or vigil_net");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (FieldSource<?> s : sources) {
            if (source != null && !s.name().equals(source)) {
                continue;
            }
            out.println("source " + s.name());
            for (FieldSource.Definition<?> d : s.definitions()) {
                String name = switch (d.arg()) {
                    case NONE -> d.name();
                    case OPTIONAL -> d.name() + "[N]";
                    case REQUIRED -> d.name() + "[ARG]";
                };
                out.printf("  %-40s %-8s %s%n", name, d.type(), d.description());
            }
        }
        out.flush();
        return 0;
    }
}
