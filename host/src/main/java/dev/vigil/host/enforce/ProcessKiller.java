package dev.vigil.host.enforce;

import dev.vigil.host.linux.Native;
import dev.vigil.model.host.EnforcementAudit;
import java.util.function.Consumer;

/**
 * Kills a process in a targeted container through a pidfd: the pidfd is opened first, the process's
 * container is then verified, and the signal goes to the pidfd — so if the pid was reused between
 * the decision and the act, the signal reaches nobody (the pidfd names the old, dead process) rather
 * than an innocent newcomer. Every attempt is audited. Thread-safe.
 */
public final class ProcessKiller {

    /** SIGKILL. */
    public static final int SIGKILL = 9;

    private final Consumer<EnforcementAudit> audit;

    public ProcessKiller(Consumer<EnforcementAudit> audit) {
        this.audit = audit;
    }

    /** Sends SIGKILL to {@code pid} if it runs in {@code containerId}; the audit record says what happened. */
    public synchronized EnforcementAudit kill(int pid, String containerId, String reason) {
        Native sys = new Native();
        try {
            return record(act(sys, pid, containerId), pid, containerId, reason);
        } finally {
            sys.release();
        }
    }

    private static String[] act(Native sys, int pid, String containerId) {
        int pidfd = sys.pidfdOpen(pid);
        if (pidfd < 0) {
            return new String[] {"failed", "pidfd_open(" + pid + "): " + Native.errnoName(pidfd)};
        }
        try {
            String wrong = new TargetCheck(sys).mismatch(pid, containerId);
            if (wrong != null) {
                return new String[] {"refused", wrong};
            }
            int r = sys.pidfdSendSignal(pidfd, SIGKILL);
            if (r < 0) {
                return new String[] {"failed", "pidfd_send_signal(SIGKILL): " + Native.errnoName(r)};
            }
            return new String[] {"done", "SIGKILL sent through pidfd"};
        } finally {
            sys.close(pidfd);
        }
    }

    private EnforcementAudit record(String[] outcome, int pid, String containerId, String reason) {
        EnforcementAudit a = new EnforcementAudit(System.currentTimeMillis() * 1_000_000L, "kill", outcome[0],
                containerId, null, pid, "pid " + pid, reason, outcome[1]);
        audit.accept(a);
        return a;
    }
}
