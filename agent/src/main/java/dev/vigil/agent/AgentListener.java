package dev.vigil.agent;

import dev.vigil.detect.baseline.Mode;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.model.identity.WorkloadRef;

/**
 * Hears what a running {@link Agent} does, in process (the demo, tests). Called on the agent's
 * threads: return quickly and never block.
 */
public interface AgentListener {

    /** Hears nothing. */
    AgentListener NONE = new AgentListener() {
    };

    /** An alert was raised, before folding (every detection, also the repeats folding will count). */
    default void raised(Alert alert) {
    }

    /** An alert was written to the alert sink: the first of its kind, or a fold summary. */
    default void written(Alert alert) {
    }

    /** A protect-mode action was taken or refused. */
    default void enforced(EnforcementAudit audit) {
    }

    /** A workload moved to {@code mode} (promotion after learning, or a mode set by command). */
    default void modeChanged(WorkloadRef workload, Mode mode) {
    }

    /** A periodic (or the final) statistics snapshot. */
    default void stats(AgentStats stats) {
    }

    /** Something the operator should read (start-up, pods found, problems), one line. */
    default void log(String line) {
    }
}
