package dev.vigil.lab.attack;

import java.util.List;

/**
 * One thing a scenario did: what and where, the command line, its exit code, its output (cut to
 * {@link #MAX_OUTPUT_CHARS}) and when it ran, in nanoseconds since the epoch (wall clock, to
 * compare with alert times; microsecond resolution on Linux).
 *
 * @param preparation true for a step that sets the stage (dropping a tool in, starting an attacker's
 *                    server) rather than performing the technique; latency is measured after it
 *
 * @param where    {@code namespace/pod:container}, an attacker host ({@code c2.evil.example
 *                 (203.0.113.66)}) or {@code host}
 * @param command  the argument vector; empty for steps done in Java (a listener, a file copy)
 * @param exitCode the process exit code; 0 for Java steps that succeeded
 */
public record Step(String action, String where, List<String> command, int exitCode, long startNanos, long endNanos,
                   String output, boolean preparation) {

    /** Longest output kept per step; the rest is cut and marked. */
    public static final int MAX_OUTPUT_CHARS = 16 * 1024;

    public Step {
        command = List.copyOf(command);
        if (output.length() > MAX_OUTPUT_CHARS) {
            output = output.substring(0, MAX_OUTPUT_CHARS) + "\n… (" + (output.length() - MAX_OUTPUT_CHARS) + " more characters)";
        }
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** The command as a shell would take it: arguments with blanks or shell characters single-quoted. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder();
        for (String a : command) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(a.matches("[A-Za-z0-9_@%+=:,./{}-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
