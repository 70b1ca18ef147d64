package dev.vigil.cli.policy;

import dev.vigil.cli.UserError;
import dev.vigil.cli.Vigil;
import dev.vigil.detect.baseline.BaselineConfig;
import dev.vigil.detect.baseline.Baselines;
import dev.vigil.detect.baseline.Mode;
import dev.vigil.detect.baseline.WorkloadPolicy;
import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil policy mode NS/WORKLOAD learn|monitor|protect}. */
@Command(name = "mode", mixinStandardHelpOptions = true,
        description = {"Set a workload's mode: learn (add what is new to its baseline), monitor (alert on it) or "
                + "protect (alert and stop it).",
                "Back to learn restarts the learning period and keeps what was learned."})
public final class ModeCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "NS/WORKLOAD",
            description = "The workload: NAMESPACE/NAME, or NAMESPACE/KIND/NAME (needed for a workload without a policy yet).")
    String workload;

    @Parameters(index = "1", paramLabel = "MODE", description = "learn, monitor or protect.")
    String mode;

    @Mixin
    StateDirOption state;

    @Override
    public void run() {
        Mode m = Mode.parse(mode);
        if (m == null) {
            throw new UserError("mode '" + mode + "': expected learn, monitor or protect", Vigil.EXIT_USAGE);
        }
        List<WorkloadPolicy> policies = state.readAll();
        WorkloadRef w = state.resolve(workload, policies, true);
        long now = System.currentTimeMillis() * 1_000_000L;
        WorkloadPolicy old = policies.stream().filter(p -> p.workload().equals(w)).findFirst().orElse(null);
        Baselines baselines = new Baselines(BaselineConfig.defaults());
        if (old != null) {
            baselines.replace(old);
        }
        baselines.setMode(w, m, now);
        WorkloadPolicy updated = baselines.policy(w).orElseThrow();
        try {
            state.store().write(updated);
        } catch (IOException e) {
            throw new UserError("cannot write " + state.store().file(w) + ": " + e.getMessage()
                    + "; run as root (sudo) or pass --state-dir with a folder you can write");
        }
        state.out().println(w.qualifiedName() + " (" + w.kind() + "): "
                + (old == null ? "new policy, " : old.mode().label() + " -> ") + m.label());
        state.out().flush();
    }
}
