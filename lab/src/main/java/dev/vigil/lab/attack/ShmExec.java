package dev.vigil.lab.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code shm-exec}: a program copied to {@value #PATH} and executed from there. Kubernetes mounts a
 * container's own {@code /dev/shm} {@code noexec}, so this works where {@code /dev/shm} is an
 * emptyDir of medium Memory (as databases are given; the lab's postgres has one): the default
 * source. The effect: {@code /proc/<pid>/exe} of the process is the file in {@code /dev/shm}.
 */
final class ShmExec implements Technique {

    static final String PATH = "/dev/shm/kdevtmpfsi";

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        String options = shmOptions(from);
        run.check(!options.contains("noexec"), "/dev/shm in " + from + " is mounted noexec (" + options + "), as containerd mounts"
                + " a container's own; run from a pod whose /dev/shm is an emptyDir of medium Memory: --from shop-data/postgres");
        Payload.drop(run, from, PATH);
        long pid = Payload.start(run, from, PATH);
        String exe = ContainerProcesses.exe(pid);
        run.check(exe.equals(PATH), "/proc/" + pid + "/exe is " + exe + ", not " + PATH);
        run.evidence("host pid " + pid + ": /proc/" + pid + "/exe -> " + exe + " (/dev/shm mounted " + options + ")");
    }

    /** The mount options of {@code /dev/shm} in the container, from its init's mount table. */
    static String shmOptions(Source where) throws IOException {
        String options = null;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(where.container().pid()), "mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            if (left[4].equals("/dev/shm")) {
                options = left[5] + "," + halves[1].split(" ")[2];
            }
        }
        if (options == null) {
            throw new AttackException(where + " has no /dev/shm mount");
        }
        return options;
    }
}
