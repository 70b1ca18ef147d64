package dev.vigil.model.host;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * The audit trail of one enforcement action (kill, exec denial, quarantine, lift), written whether it
 * succeeded or was refused, as an {@code enforce} log record.
 *
 * @param timeNanos   when it was decided, epoch nanoseconds
 * @param action      {@code kill}, {@code deny_exec}, {@code quarantine}, {@code lift_quarantine}
 * @param outcome     {@code done}, {@code refused} (target check failed) or {@code failed}
 * @param containerId the targeted container (full id), or null for pod-level actions
 * @param pod         {@code namespace/name} of the targeted pod, or null
 * @param pid         the process acted on, -1 when none
 * @param target      what was acted on: a path, a network namespace, a process name
 * @param reason      why the action was requested (policy or caller)
 * @param detail      what happened, with the kernel's error when it failed
 */
public record EnforcementAudit(
        long timeNanos,
        String action,
        String outcome,
        String containerId,
        String pod,
        int pid,
        String target,
        String reason,
        String detail) implements LogRecord {

    @Override
    public String log() {
        return "enforce";
    }

    @Override
    public double ts() {
        return timeNanos / 1e9;
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("action", action)
                .string("outcome", outcome)
                .string("container.full_id", containerId)
                .string("k8s.pod", pod)
                .number("proc.pid", pid < 0 ? null : (long) pid)
                .string("target", target)
                .string("reason", reason)
                .string("detail", detail);
    }
}
