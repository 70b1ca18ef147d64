package dev.vigil.cli.lab;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil lab down}: removes everything the lab created; safe to repeat. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove everything the lab created (containers, namespaces, mounts, cgroups, processes); safe to repeat.")
public final class LabDownCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        try {
            Lab.down(m -> spec.commandLine().getErr().println("vigil lab: " + m));
        } catch (LabException e) {
            throw new UserError(e.getMessage());
        }
        spec.commandLine().getOut().printf("lab down in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
