package dev.vigil.lab.runc;

import dev.vigil.lab.command.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lab's mounts: container root filesystems on overlayfs (image layers as read-only lower
 * directories, a per-container upper and work directory) and the tmpfs that holds every pod's
 * writable files, so that removing a lab frees them at once instead of deleting file by file.
 * Every lab mount has a source name starting with {@code vigil-lab-}, so leftovers are found in
 * {@code /proc/self/mountinfo}.
 */
public final class Mounts {

    /** The mount source of every lab overlay. */
    public static final String OVERLAY_SOURCE = "vigil-lab-overlay";
    /** The mount source of the lab's tmpfs. */
    public static final String TMPFS_SOURCE = "vigil-lab-tmpfs";

    private Mounts() {
    }

    /** Mounts a tmpfs at {@code target} (created when absent). */
    public static void tmpfs(Path target) {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
        Command.of("mount", "-t", "tmpfs", "-o", "mode=0755", TMPFS_SOURCE, target.toString()).run();
    }

    /** Mounts {@code lowers} (top-most first) with {@code upper}/{@code work} at {@code target}. */
    public static void overlay(List<Path> lowers, Path upper, Path work, Path target) {
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare overlay directories at " + target, e);
        }
        String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        Command.of("mount", "-t", "overlay", OVERLAY_SOURCE, "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, target.toString()).run();
    }

    /** Unmounts {@code target} if mounted (lazily when still busy). */
    public static void unmount(Path target) {
        if (!mounted().contains(target.toString())) {
            return;
        }
        Command.Result r = Command.of("umount", target.toString()).allowFailure().run();
        if (!r.ok()) {
            Command.of("umount", "-l", target.toString()).allowFailure().run();
        }
    }

    /** Mount points of every lab mount on the machine, deepest first (the order to unmount them). */
    public static List<String> mounted() {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                String[] right = halves[1].split(" ");
                if (right.length > 1 && (right[1].equals(OVERLAY_SOURCE) || right[1].equals(TMPFS_SOURCE))) {
                    points.add(unescape(halves[0].split(" ")[4]));
                }
            }
            points.sort(java.util.Comparator.comparingInt(String::length).reversed());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        return points;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
