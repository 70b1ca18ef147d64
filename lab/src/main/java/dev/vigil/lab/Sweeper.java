package dev.vigil.lab;

import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Cgroups;
import dev.vigil.lab.runc.Mounts;
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
    /** How long to wait for killed processes to exit. */
    static final java.time.Duration EXIT_WAIT = java.time.Duration.ofSeconds(5);

    private Sweeper() {
    }

    /** Sweeps; returns what could not be removed (empty when the machine is clean). */
    static List<String> sweep(LabState state, Consumer<String> progress) {
        List<String> stuck = new ArrayList<>();
        List<ProcessHandle> killed = new ArrayList<>();
        if (state != null && state.dir != null) {
            killed.addAll(killLabProcesses(state.dir));
        }
        List<String> veths = Netns.existingLinks().stream().filter(l -> !l.equals(Netns.BRIDGE)).toList();
        if (!veths.isEmpty()) {
            progress.accept("removing " + veths.size() + " veth pairs");
            Netns.deleteLinks(veths);
        }
        Set<String> containers = new LinkedHashSet<>(Runc.list());
        if (state != null) {
            containers.addAll(state.containers);
        }
        if (!containers.isEmpty()) {
            progress.accept("removing " + containers.size() + " containers");
        }
        if (state != null) {
            state.pods.stream().flatMap(p -> p.containers().stream())
                    .forEach(c -> ProcessHandle.of(c.pid()).ifPresent(killed::add));
        }
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : containers) {
                executor.submit(() -> Runc.remove(id));
            }
        }
        for (String ns : Netns.existing()) {
            for (long pid : Netns.pids(ns)) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroyForcibly();
                    killed.add(p);
                });
            }
        }
        awaitExit(killed);
        for (String mount : Mounts.mounted()) {
            Mounts.unmount(Path.of(mount));
        }
        if (state != null) {
            for (String m : state.mounts) {
                Mounts.unmount(Path.of(m));
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
            Netns.unname(ns);
        }
        Netns.deleteBridge();
        Netns.deleteLinks(Netns.existingLinks());
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
        stuck.addAll(Mounts.mounted().stream().map(m -> "overlay still mounted at " + m).toList());
        stuck.addAll(Netns.existing().stream().map(n -> "network namespace " + n + " still present").toList());
        stuck.addAll(Netns.existingLinks().stream().map(n -> "link " + n + " still present").toList());
        return stuck;
    }

    /**
     * Kills the lab's host processes: those whose command line names a file of the lab directory
     * (socat relays, the simulated internet's servers and their forked children). No other
     * process names those files.
     */
    private static List<ProcessHandle> killLabProcesses(String labDir) {
        List<String> markers = List.of(labDir + "/run/", labDir + "/pki/", labDir + "/inet/");
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> killed = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            try {
                String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8).replace('\0', ' ');
                if (markers.stream().anyMatch(cmdline::contains)) {
                    p.destroyForcibly();
                    killed.add(p);
                }
            } catch (IOException ignored) {
                // exited while we looked
            }
        });
        return killed;
    }

    /** Waits until killed processes have exited: a namespace with a live process is never destroyed. */
    private static void awaitExit(List<ProcessHandle> killed) {
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        for (ProcessHandle p : killed) {
            while (running(p.pid()) && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
    }

    /**
     * True while any thread of a process runs. A process all of whose threads have exited but
     * whose parent has not yet collected it (a zombie, here usually waiting for the machine's init)
     * holds no file, lock, namespace, mount or cgroup. (The main thread alone turns zombie first
     * while the others still exit, so every thread is checked.)
     */
    static boolean running(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z') {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path root, List<String> stuck) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String m : Mounts.mounted()) {
            if (Path.of(m).startsWith(root)) {
                Mounts.unmount(Path.of(m));
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
