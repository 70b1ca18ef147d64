package dev.vigil.cli.policy;

import dev.vigil.cli.UserError;
import dev.vigil.detect.baseline.PolicyYaml;
import dev.vigil.detect.baseline.WorkloadPolicy;
import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil policy export [NS/WORKLOAD] [-o FILE]}: policies as readable YAML. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the policies (baselines and modes) of all workloads, or of one, as YAML for review, "
                + "editing or another cluster.")
public final class ExportCommand implements Runnable {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NS/WORKLOAD",
            description = "Only this workload: NAMESPACE/NAME or NAMESPACE/KIND/NAME.")
    String workload;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin
    StateDirOption state;

    @Override
    public void run() {
        List<WorkloadPolicy> policies = state.readAll();
        if (workload != null) {
            WorkloadRef w = state.resolve(workload, policies, false);
            policies = policies.stream().filter(p -> p.workload().equals(w)).toList();
        }
        String yaml = PolicyYaml.write(policies);
        if (output == null) {
            state.out().print(yaml);
            state.out().flush();
            return;
        }
        try {
            Files.writeString(output, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write " + output + ": " + e.getMessage() + "; choose a writable path with -o");
        }
        state.err().println("exported " + policies.size() + " workload "
                + (policies.size() == 1 ? "policy" : "policies") + " to " + output);
        state.err().flush();
    }
}
