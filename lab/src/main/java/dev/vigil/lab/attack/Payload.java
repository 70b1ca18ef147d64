package dev.vigil.lab.attack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The attacker's program for drift, /dev/shm and fileless execution: the machine's coreutils
 * {@code sleep} (in no lab image: they carry busybox), so a harmless process lives long enough
 * for {@code /proc/<pid>/exe} to be read. Dropped into a container the way a download lands:
 * {@code cat > PATH} with the binary on standard input.
 */
final class Payload {

    /** The program copied in. */
    static final Path BINARY = Path.of("/usr/bin/sleep");
    /** How long the payload process runs, in seconds. */
    static final int LIFETIME_SECONDS = 5;

    private Payload() {
    }

    static byte[] bytes() throws java.io.IOException {
        if (!Files.isRegularFile(BINARY)) {
            throw new AttackException("the payload " + BINARY + " is missing on this machine: sudo apt-get install coreutils");
        }
        return Files.readAllBytes(BINARY);
    }

    /**
     * Writes the payload to {@code path} in the container (a shell reading standard input, then
     * {@code chmod 755}) and removes it when the scenario ends.
     */
    static void drop(AttackRun run, Source where, String path) throws java.io.IOException {
        run.onCleanup("remove " + path + " from " + where, () -> Files.deleteIfExists(ContainerFs.resolve(where.container(), path)));
        run.command(where, "sh", "-c", "cat > " + path + " && chmod 755 " + path).input(bytes())
                .run("write a program that is not in the image to " + path + " (cat > " + path + ", the binary on stdin)");
    }

    /**
     * Starts {@code path} in the background in the container ({@code sh -c 'PATH N & echo $!'}) and
     * returns its host pid.
     */
    static long start(AttackRun run, Source where, String path) {
        AttackRun.Ran started = run.command(where, "sh", "-c", path + " " + LIFETIME_SECONDS + " >/dev/null 2>&1 & echo $!")
                .run("run " + path + " in the background");
        return hostPid(run, where, started, path);
    }

    /** The host pid of the process whose container pid a command printed. */
    static long hostPid(AttackRun run, Source where, AttackRun.Ran printed, String what) {
        String containerPid = printed.stdout().strip();
        run.check(containerPid.matches("\\d+"), "starting " + what + " printed no pid: " + printed.stdout());
        long pid = ContainerProcesses.hostPid(where.container(), Long.parseLong(containerPid));
        run.check(pid > 0, what + " (pid " + containerPid + " in " + where + ") exited before it could be inspected");
        return pid;
    }
}
