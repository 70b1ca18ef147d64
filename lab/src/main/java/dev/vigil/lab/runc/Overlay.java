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
 * A container root filesystem on overlayfs: image layers as read-only lower directories, a
 * per-container upper and work directory. Every lab overlay is mounted with the source name
 * {@value #SOURCE} so leftovers are found in {@code /proc/self/mountinfo}.
 */
public final class Overlay {

    /** The mount source of every lab overlay. */
    public static final String SOURCE = "vigil-overlay";

    private Overlay() {
    }

    /** Mounts {@code lowers} (top-most first) with {@code upper}/{@code work} at {@code target}. */
    public static void mount(List<Path> lowers, Path upper, Path work, Path target) {
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare overlay directories at " + target, e);
        }
        String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        Command.of("mount", "-t", "overlay", SOURCE, "-o",
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

    /** Mount points of every lab overlay on the machine. */
    public static List<String> mounted() {
        List<String> points = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                String[] right = halves[1].split(" ");
                if (right[0].equals("overlay") && right.length > 1 && right[1].equals(SOURCE)) {
                    points.add(unescape(halves[0].split(" ")[4]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        return points;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
