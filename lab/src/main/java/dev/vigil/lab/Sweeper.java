package dev.vigil.lab;

import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Cgroups;
import dev.vigil.lab.runc.Overlay;
import dev.vigil.lab.runc.Runc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Removes everything a lab created — containers, processes, overlay mounts, cgroups, network
 * namespaces, veths, the bridge, run files and the lab directory's contents — from the saved
 * {@link LabState} and by the {@code vigil} name prefix, so it also cleans a lab whose {@code up}
 * crashed half-way. Idempotent: each step skips what is already gone.
 */
final class Sweeper {

    /** Files and folders the lab writes into its directory. */
    static final List<String> LAB_DIR_ENTRIES = List.of("pods", "pki", "run", "inet", "kubeconfig");

    private Sweeper() {
    }

    /** Sweeps; returns what could not be removed (empty when the machine is clean). */
    static List<String> sweep(LabState state, Consumer<String> progress) {
        List<String> stuck = new ArrayList<>();
        if (state != null) {
            for (long pid : state.hostPids) {
                killIfLab(pid, state.dir);
            }
        }
        Set<String> containers = new LinkedHashSet<>(Runc.list());
        if (state != null) {
            containers.addAll(state.containers);
        }
        if (!containers.isEmpty()) {
            progress.accept("removing " + containers.size() + " containers");
        }
        containers.parallelStream().forEach(Runc::remove);
        for (String ns : Netns.existing()) {
            for (long pid : Netns.pids(ns)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (String mount : Overlay.mounted()) {
            Overlay.unmount(Path.of(mount));
        }
        if (state != null) {
            for (String m : state.mounts) {
                Overlay.unmount(Path.of(m));
            }
            for (String uid : state.podUids) {
                List<String> left = List.of();
                for (int attempt = 0; attempt < 20; attempt++) {
                    left = Cgroups.removePod(uid);
                    if (left.isEmpty()) {
                        break;
                    }
                    sleep(100);
                }
                stuck.addAll(left);
            }
        }
        List<String> namespaces = Netns.existing();
        if (!namespaces.isEmpty()) {
            progress.accept("removing " + namespaces.size() + " network namespaces");
        }
        for (String ns : namespaces) {
            Netns.delete(ns);
        }
        Netns.deleteBridge();
        for (String link : Netns.existingLinks()) {
            dev.vigil.lab.command.Command.of("ip", "link", "del", link).allowFailure().run();
        }
        if (state != null && state.dir != null) {
            Path dir = Path.of(state.dir);
            for (String entry : LAB_DIR_ENTRIES) {
                deleteTree(dir.resolve(entry), stuck);
            }
            try (Stream<Path> left = Files.list(dir)) {
                if (left.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            } catch (IOException ignored) {
                // a directory the user keeps other files in stays
            }
            if (state.log != null) {
                deleteTree(Path.of(state.log), stuck);
            }
        }
        deleteTree(Runc.ROOT, stuck);
        LabState.delete();
        stuck.addAll(Overlay.mounted().stream().map(m -> "overlay still mounted at " + m).toList());
        stuck.addAll(Netns.existing().stream().map(n -> "network namespace " + n + " still present").toList());
        stuck.addAll(Netns.existingLinks().stream().map(n -> "link " + n + " still present").toList());
        return stuck;
    }

    private static void killIfLab(long pid, String labDir) {
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                        StandardCharsets.UTF_8);
                if (labDir != null && cmdline.contains(labDir)) {
                    p.destroyForcibly();
                }
            } catch (IOException ignored) {
                // already gone
            }
        });
    }

    static void deleteTree(Path root, List<String> stuck) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String m : Overlay.mounted()) {
            if (Path.of(m).startsWith(root)) {
                Overlay.unmount(Path.of(m));
            }
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    stuck.add("cannot delete " + p + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            stuck.add("cannot walk " + root + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
