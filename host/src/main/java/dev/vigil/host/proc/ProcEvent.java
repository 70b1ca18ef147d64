package dev.vigil.host.proc;

/**
 * One decoded proc connector event ({@code struct proc_event} of {@code linux/cn_proc.h}). Instances
 * are reused by {@link ProcEventDecoder}: valid only during the callback that receives them.
 */
public final class ProcEvent {

    public static final int NONE = 0;
    public static final int FORK = 0x1;
    public static final int EXEC = 0x2;
    public static final int UID = 0x4;
    public static final int PTRACE = 0x100;
    public static final int GID = 0x40;
    public static final int SID = 0x80;
    public static final int COMM = 0x200;
    public static final int COREDUMP = 0x40000000;
    public static final int EXIT = 0x80000000;

    /** The event type, one of the constants above. */
    public int what;
    /** The CPU that emitted it. */
    public int cpu;
    /** The connector's per-CPU sequence number; a gap means lost events. */
    public int seq;
    /** CLOCK_MONOTONIC nanoseconds. */
    public long monoNanos;
    /** The thread (pid) and process (tgid) concerned; for fork: the child. */
    public int pid;
    public int tgid;
    /** fork: the parent; exit and coredump: the parent; ptrace: the tracer. */
    public int otherPid;
    public int otherTgid;
    /** uid/gid: real and effective id; exit: exit code and signal. */
    public int a;
    public int b;
    /** comm: up to 16 bytes, {@link #commLength} of them used. */
    public final byte[] comm = new byte[16];
    public int commLength;

    /** The type as Falco names the matching system call. */
    public String typeName() {
        return switch (what) {
            case FORK -> "clone";
            case EXEC -> "execve";
            case UID -> "setuid";
            case GID -> "setgid";
            case SID -> "setsid";
            case PTRACE -> "ptrace";
            case COMM -> "prctl";
            case COREDUMP -> "coredump";
            case EXIT -> "procexit";
            default -> "none";
        };
    }

    @Override
    public String toString() {
        return typeName() + " pid=" + pid + " tgid=" + tgid + " other=" + otherPid + "/" + otherTgid
                + " a=" + a + " b=" + b + " cpu=" + cpu + " seq=" + seq;
    }
}
