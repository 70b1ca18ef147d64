package dev.vigil.host.enforce;

import dev.vigil.host.container.CgroupContainer;
import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcFs;

/**
 * Confirms that a process belongs to the container an enforcement action targets, from its cgroup,
 * so that no action reaches beyond its target. Not thread-safe: one per enforcement primitive.
 */
final class TargetCheck {

    private final ProcFs fs;

    TargetCheck(Native sys) {
        this.fs = new ProcFs(sys);
    }

    /** The container id of {@code pid}, or null (host process, or gone). */
    String containerOf(int pid) {
        int n = fs.read(pid, "cgroup");
        if (n < 0) {
            return null;
        }
        CgroupContainer.Ref ref = CgroupContainer.parse(fs.bytes(), n);
        return ref == null ? null : ref.id();
    }

    /** Null when {@code pid} runs in {@code containerId}; otherwise why not. */
    String mismatch(int pid, String containerId) {
        String actual = containerOf(pid);
        if (actual == null) {
            return "pid " + pid + " is not in a container (or has ended); expected container " + containerId;
        }
        if (!actual.equals(containerId)) {
            return "pid " + pid + " runs in container " + actual + ", not in the targeted " + containerId;
        }
        return null;
    }

    /** The network namespace inode of {@code pid} (0 when unreadable). */
    long netNs(int pid) {
        return fs.namespaceInode(pid, "ns/net");
    }
}
