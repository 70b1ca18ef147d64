package dev.vigil.cli.lab;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabException;
import dev.vigil.lab.LabStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil lab up}: creates the lab and returns when every pod is ready; it runs until {@code vigil lab down}. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Create the lab (needs root) and return when every pod is ready; it runs until `vigil lab down`.")
public final class LabUpCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory for kubeconfig, certificates and pod files (default: ${DEFAULT-VALUE}).")
    Path dir = Lab.DEFAULT_DIR;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        LabStatus status;
        try {
            status = Lab.up(dir, m -> spec.commandLine().getErr().println("vigil lab: " + m));
        } catch (LabException e) {
            throw new UserError(e.getMessage());
        }
        long containers = status.pods().stream().mapToLong(p -> p.containers().size()).sum();
        var out = spec.commandLine().getOut();
        out.printf("lab up in %.1f s: %d pods, %d containers%n", (System.nanoTime() - start) / 1e9, status.pods().size(), containers);
        out.println("kubeconfig: " + status.kubeconfig());
        out.println("try: kubectl --kubeconfig " + status.kubeconfig() + " get pods -A -o wide");
        return 0;
    }
}
