package dev.vigil.cli.lab;

import dev.vigil.cli.UserError;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil lab exec NAMESPACE/POD [-c CONTAINER] -- CMD ARGS…}: runs a command in a lab
 * container through {@code runc exec} (a real container process), passing stdin, stdout, stderr
 * and the exit code through.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = "Run a command inside a lab container (through runc); stdio and exit code pass through.")
public final class LabExecCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAMESPACE/POD", description = "The pod, by name or by workload name (e.g. shop-web/frontend).")
    String target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Option(names = {"-c", "--container"}, paramLabel = "CONTAINER", description = "Container name (default: the pod's first container).")
    String container;

    @Override
    public Integer call() {
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new UserError("name the pod as NAMESPACE/POD, e.g. shop-web/frontend (got '" + target + "')", 2);
        }
        List<String> argv;
        try {
            argv = Lab.execArgv(target.substring(0, slash), target.substring(slash + 1), container, command);
        } catch (LabException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        try {
            Process p = new ProcessBuilder(argv).inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            throw new UserError("cannot run runc: " + e.getMessage() + " (sudo apt-get install runc)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
