package dev.vigil.cli.policy;

import dev.vigil.cli.UserError;
import dev.vigil.detect.baseline.PolicyFileException;
import dev.vigil.detect.baseline.PolicyStore;
import dev.vigil.detect.baseline.WorkloadPolicy;
import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --state-dir}, shared by the policy commands, the lookup of {@code NS/WORKLOAD} arguments in it,
 * and the command's output streams.
 */
public final class StateDirOption {

    /** The agent's default state directory. */
    public static final String DEFAULT = "/var/lib/vigil";

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT,
            description = "The agent's state directory; policies are in its policies/ folder (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The command's standard output. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The command's standard error, for progress and notes. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    PolicyStore store() {
        return new PolicyStore(stateDir);
    }

    /** Every policy in the state directory; read problems become errors that say what to do. */
    List<WorkloadPolicy> readAll() {
        try {
            return store().readAll(System.currentTimeMillis() * 1_000_000L);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + e.getFile() + ": permission denied; run as root (sudo) or pass"
                    + " --state-dir with a folder you can read");
        } catch (IOException e) {
            throw new UserError("cannot read the policies in " + store().directory() + ": " + e.getMessage());
        } catch (PolicyFileException e) {
            throw new UserError(e.getMessage() + "; fix or delete that file");
        }
    }

    /**
     * The workload an argument names: {@code NS/NAME} among the workloads with a policy, or
     * {@code NS/KIND/NAME} (which may have none yet when {@code mayBeNew}).
     */
    WorkloadRef resolve(String arg, List<WorkloadPolicy> policies, boolean mayBeNew) {
        String[] parts = arg.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                parts = new String[0];
                break;
            }
        }
        if (parts.length == 3) {
            WorkloadRef w = new WorkloadRef(parts[0], parts[1], parts[2]);
            if (!mayBeNew && policies.stream().noneMatch(p -> p.workload().equals(w))) {
                throw new UserError("no policy for " + w + " in " + store().directory() + "; see the workloads with:"
                        + " vigil policy list --state-dir " + stateDir);
            }
            return w;
        }
        if (parts.length != 2) {
            throw new UserError("workload '" + arg + "': expected NAMESPACE/NAME or NAMESPACE/KIND/NAME,"
                    + " e.g. shop/web or shop/Deployment/web", dev.vigil.cli.Vigil.EXIT_USAGE);
        }
        String ns = parts[0];
        String name = parts[1];
        List<WorkloadRef> matches = policies.stream().map(WorkloadPolicy::workload)
                .filter(w -> w.namespace().equals(ns) && w.name().equals(name)).toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new UserError("no policy for " + arg + " in " + store().directory()
                    + (mayBeNew ? "; to set the mode of a workload before it runs, give its kind: " + ns + "/Deployment/"
                    + name : "; see the workloads with: vigil policy list --state-dir " + stateDir));
        }
        throw new UserError(arg + " names " + matches.size() + " workloads (" + String.join(", ",
                matches.stream().map(WorkloadRef::toString).toList()) + "); give the kind, e.g. " + matches.getFirst());
    }
}
