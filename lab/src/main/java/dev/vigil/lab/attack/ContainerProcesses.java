package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds a container's processes from the host: the host pid of a pid the container sees (by the
 * {@code NSpid} line of {@code /proc/<pid>/status} in the container's pid namespace) and what
 * {@code /proc/<pid>/exe} says — the kernel's view of a process's program, independent of Vigil.
 */
final class ContainerProcesses {

    private ContainerProcesses() {
    }

    /** The host pid of the process the container knows as {@code containerPid}; -1 when it is gone. */
    static long hostPid(LabStatus.Container container, long containerPid) {
        Object pidNs = inode(Path.of("/proc", Long.toString(container.pid()), "ns", "pid"));
        if (pidNs == null) {
            return -1;
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                if (!pidNs.equals(inode(p.resolve("ns/pid")))) {
                    continue;
                }
                String[] nspid = nsPids(p);
                if (nspid.length > 1 && nspid[nspid.length - 1].equals(Long.toString(containerPid))) {
                    return Long.parseLong(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The target of {@code /proc/<pid>/exe}: the program's path as the process's root sees it. */
    static String exe(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
        } catch (IOException e) {
            throw new AttackException("cannot read /proc/" + pid + "/exe: " + e.getMessage() + " (the process ended too early)");
        }
    }

    /** The inode of the file {@code /proc/<pid>/exe} refers to. */
    static long exeInode(long pid) {
        Object ino = inode(Path.of("/proc", Long.toString(pid), "exe"));
        if (ino == null) {
            throw new AttackException("cannot stat /proc/" + pid + "/exe (the process ended too early)");
        }
        return (Long) ino;
    }

    static Object inode(Path p) {
        try {
            return Files.getAttribute(p, "unix:ino");
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The fields of the {@code NSpid:} line: the label, then the pid in each pid namespace, outermost first. */
    private static String[] nsPids(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    return line.strip().split("\\s+");
                }
            }
        } catch (IOException e) {
            return new String[0];
        }
        return new String[0];
    }
}
