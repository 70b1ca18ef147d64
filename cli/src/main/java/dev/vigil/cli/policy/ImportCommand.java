package dev.vigil.cli.policy;

import dev.vigil.cli.UserError;
import dev.vigil.detect.baseline.BaselineConfig;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.PolicyFileException;
import dev.vigil.detect.baseline.PolicyYaml;
import dev.vigil.detect.baseline.WorkloadPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil policy import FILE}: replaces the policies of the workloads the file names. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Load policies from a YAML file written by 'vigil policy export' (or by hand).",
                "Each workload in the file gets exactly the baseline and mode of the file; other workloads are untouched.",
                "The whole file is checked before anything is written."})
public final class ImportCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy file.")
    Path file;

    @Mixin
    StateDirOption state;

    @Override
    public void run() {
        long now = System.currentTimeMillis() * 1_000_000L;
        List<WorkloadPolicy> policies;
        try {
            policies = PolicyYaml.read(Files.readString(file, StandardCharsets.UTF_8), file.toString(), now);
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        } catch (PolicyFileException e) {
            throw new UserError(e.getMessage() + "; nothing was imported");
        }
        Baselines check = new Baselines(BaselineConfig.defaults());
        for (WorkloadPolicy p : policies) {
            try {
                check.replace(p);
            } catch (IllegalArgumentException e) {
                throw new UserError(file + ": " + e.getMessage() + "; nothing was imported");
            }
        }
        try {
            for (WorkloadPolicy p : check.policies()) {
                state.store().write(p);
            }
        } catch (IOException e) {
            throw new UserError("cannot write to " + state.store().directory() + ": " + e.getMessage()
                    + "; run as root (sudo) or pass --state-dir with a folder you can write");
        }
        state.out().println("imported " + policies.size() + " workload "
                + (policies.size() == 1 ? "policy" : "policies") + " into " + state.store().directory());
        state.out().flush();
    }
}
