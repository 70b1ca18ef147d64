package dev.vigil.lab.attack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code drift}: a program that is not in the image is written into the running container
 * ({@value #PATH}) and executed. The effect: {@code /proc/<pid>/exe} of the process names that
 * file, which exists in the container's upper (writable) overlay directory with the same inode
 * and in none of the image's layers.
 */
final class Drift implements Technique {

    static final String PATH = "/tmp/kworkerd";

    @Override
    public void perform(AttackRun run) throws Exception {
        Source from = run.source();
        Payload.drop(run, from, PATH);
        long pid = Payload.start(run, from, PATH);
        String exe = ContainerProcesses.exe(pid);
        long exeInode = ContainerProcesses.exeInode(pid);
        ContainerFs.Overlay overlay = ContainerFs.overlay(from.pod(), from.container());
        Path upper = overlay.upper().resolve(PATH.substring(1));
        run.check(exe.equals(PATH), "/proc/" + pid + "/exe is " + exe + ", not " + PATH);
        run.check(Files.isRegularFile(upper), PATH + " is not in the container's upper directory " + overlay.upper());
        run.check(Long.valueOf(exeInode).equals(ContainerProcesses.inode(upper)),
                "/proc/" + pid + "/exe (inode " + exeInode + ") is not the upper directory's " + upper);
        run.check(overlay.inNoLayer(PATH), PATH + " is in an image layer: not drift");
        run.evidence("host pid " + pid + ": /proc/" + pid + "/exe -> " + exe + ", inode " + exeInode + " = " + upper
                + " in the upper directory; in none of " + overlay.lowers().size() + " image layers");
    }
}
