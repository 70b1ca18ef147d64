package dev.vigil.host.syscall;

/**
 * One parsed line of an ftrace instance's {@code trace_pipe} for a syscall event, reused by
 * {@link TraceLineParser}: valid only until the next parse.
 */
public final class TraceRecord {

    /** Most arguments kept (system calls have at most six). */
    public static final int MAX_ARGS = 6;

    public int tid;
    public int tgid;
    public int cpu;
    /** Trace clock time in nanoseconds (CLOCK_MONOTONIC with {@code trace_clock=mono}). */
    public long nanos;
    /** Index in {@link Syscalls#NAMES} of the system call. */
    public int syscall;
    /** True for {@code sys_exit_*} lines. */
    public boolean exit;
    /** The return value of an exit line. */
    public long ret;
    public int argCount;
    /** Index in {@link Syscalls#ARG_NAMES} of each argument name, -1 when not a known name. */
    public final int[] argName = new int[MAX_ARGS];
    public final long[] argValue = new long[MAX_ARGS];
    /** The task's comm as printed, bytes {@code commFrom..commTo} of the parsed line. */
    public int commFrom;
    public int commTo;

    /** The value of the named argument, or {@code missing}. */
    public long arg(int nameIndex, long missing) {
        for (int i = 0; i < argCount; i++) {
            if (argName[i] == nameIndex) {
                return argValue[i];
            }
        }
        return missing;
    }
}
