package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A container's file system seen from the host through {@code /proc/<init pid>/root}, with
 * symbolic links resolved inside the container's root (the kernel would resolve an absolute link
 * met there against the host's root), and the overlay mount that backs it: upper directory and
 * image layers.
 *
 * <p>Limits: {@value #MAX_SYMLINKS} links per path, as the kernel's {@code MAXSYMLINKS}.
 */
final class ContainerFs {

    /** Most symbolic links followed while resolving one path. */
    static final int MAX_SYMLINKS = 40;
    /** The directories a lab image's {@code PATH} lists. */
    static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private ContainerFs() {
    }

    /** The host path of {@code path} inside the container, every symbolic link resolved within the container. */
    static Path resolve(LabStatus.Container container, String path) {
        Path root = root(container);
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path p = join(root, done).resolve(c);
            if (Files.isSymbolicLink(p)) {
                if (++links > MAX_SYMLINKS) {
                    throw new AttackException("too many symbolic links (over " + MAX_SYMLINKS + ") resolving " + path
                            + " in container " + container.name());
                }
                String target = readLink(p);
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                continue;
            }
            done.add(c);
        }
        return join(root, done);
    }

    /** The container path of an executable named {@code program} in the image's {@code PATH}, or null. */
    static String findProgram(LabStatus.Container container, String program) {
        for (String dir : PATH) {
            Path p = resolve(container, dir + "/" + program);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(p)) {
                return dir + "/" + program;
            }
        }
        return null;
    }

    /** {@code /proc/<init pid>/root}: the container's root file system. */
    static Path root(LabStatus.Container container) {
        Path root = Path.of("/proc", Long.toString(container.pid()), "root");
        if (!Files.isDirectory(root)) {
            throw new AttackException("container " + container.name() + " (init pid " + container.pid()
                    + ") is not running; bring the lab up again (sudo ./vigil lab down && sudo ./vigil lab up)");
        }
        return root;
    }

    /** The overlay of a container: its writable upper directory and its image layers, top-most first. */
    record Overlay(Path upper, List<Path> lowers) {

        /** True when {@code path} (absolute, in the container) is in no image layer, following no links. */
        boolean inNoLayer(String path) {
            return lowers.stream().noneMatch(l -> Files.exists(l.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** Reads the container's overlay mount from the host's mount table. */
    static Overlay overlay(LabStatus.Pod pod, LabStatus.Container container) {
        String suffix = "_" + pod.uid() + "/containers/" + container.name() + "/rootfs";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                String[] left = halves[0].split(" ");
                String[] right = halves[1].split(" ");
                if (right[0].equals("overlay") && left[4].endsWith(suffix) && right.length > 2) {
                    String upper = null;
                    List<Path> lowers = new ArrayList<>();
                    for (String option : right[2].split(",")) {
                        if (option.startsWith("upperdir=")) {
                            upper = option.substring(9);
                        } else if (option.startsWith("lowerdir=")) {
                            Arrays.stream(option.substring(9).split(":")).map(Path::of).forEach(lowers::add);
                        }
                    }
                    if (upper != null) {
                        return new Overlay(Path.of(upper), lowers);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        throw new AttackException("no overlay mount ending in " + suffix + " in /proc/self/mountinfo: is the lab up?");
    }

    private static List<String> components(String path) {
        return List.of(path.split("/"));
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the link " + p, e);
        }
    }
}
