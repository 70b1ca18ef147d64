package dev.vigil.detect.detector;

import dev.vigil.model.net.ConnId;
import java.util.Objects;

/**
 * What a workload in protect mode asks to be stopped. Detectors only decide; the agent carries it
 * out with the host module's primitives (a pidfd kill confined to the container, an nftables rule in
 * the pod's network namespace) and reports the outcome.
 */
public sealed interface Decision {

    /** The rule whose alert this decision belongs to. */
    String rule();

    /** Why, in one sentence (the alert's output). */
    String reason();

    /**
     * Kill a process started outside the workload's baseline.
     *
     * @param containerId the full id of the container the process must be in (the kill is refused otherwise)
     * @param startNanos  the process's start time, epoch nanoseconds, or -1: guards against a reused pid
     */
    record KillProcess(String rule, String reason, int pid, long startNanos, String containerId) implements Decision {
        public KillProcess {
            Objects.requireNonNull(containerId, "containerId");
            if (pid <= 1) {
                throw new IllegalArgumentException("kill: pid " + pid + " is not a process that may be killed");
            }
        }
    }

    /**
     * Block a connection of a pod to a peer outside the workload's baseline, inside that pod's
     * network namespace only.
     *
     * @param namespace the pod's namespace
     * @param pod       the pod's name
     * @param id        the connection (the pod is {@code id.origH()} for egress, {@code id.respH()} for a listener)
     * @param peer      the peer as the alert names it
     */
    record BlockConnection(String rule, String reason, String namespace, String pod, ConnId id, String peer)
            implements Decision {
        public BlockConnection {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(id, "id");
        }
    }
}
