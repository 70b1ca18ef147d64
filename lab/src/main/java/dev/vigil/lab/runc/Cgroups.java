package dev.vigil.lab.runc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Kubelet-style cgroup paths for lab containers and their removal. With the cgroupfs driver
 * kubelet places a BestEffort pod's container at {@code /kubepods/besteffort/pod<uid>/<id>} in
 * every hierarchy; runc (without {@code --systemd-cgroup}) creates exactly that path under each
 * mounted hierarchy, whether the machine runs cgroup v1, v2 or both (hybrid).
 */
public final class Cgroups {

    /** How cgroups are mounted on this machine. */
    public enum Layout {
        /** Only per-controller v1 hierarchies. */
        V1("v1 (one hierarchy per controller)"),
        /** The unified v2 hierarchy at {@code /sys/fs/cgroup}. */
        V2("v2 (unified)"),
        /** v1 controllers plus the v2 hierarchy at {@code /sys/fs/cgroup/unified}. */
        HYBRID("hybrid (v1 controllers and the v2 unified hierarchy)");

        private final String description;

        Layout(String description) {
            this.description = description;
        }

        /** How the layout reads in progress messages. */
        public String description() {
            return description;
        }
    }

    /** The QoS parent of every lab pod (lab pods set no requests or limits). */
    public static final String QOS_PARENT = "/kubepods/besteffort";

    private Cgroups() {
    }

    /** The pod's cgroup, {@code /kubepods/besteffort/pod<uid>}. */
    public static String podPath(String podUid) {
        return QOS_PARENT + "/pod" + podUid;
    }

    /** The container's cgroup, {@code /kubepods/besteffort/pod<uid>/<container id>}. */
    public static String containerPath(String podUid, String containerId) {
        return podPath(podUid) + "/" + containerId;
    }

    public static Layout layout() {
        List<Mount> mounts = mounts();
        boolean v2Root = mounts.stream().anyMatch(m -> m.point().equals("/sys/fs/cgroup") && m.type().equals("cgroup2"));
        if (v2Root) {
            return Layout.V2;
        }
        boolean v2Any = mounts.stream().anyMatch(m -> m.type().equals("cgroup2"));
        return v2Any ? Layout.HYBRID : Layout.V1;
    }

    /** Mount points of every cgroup hierarchy (v1 controllers and v2). */
    public static List<Path> hierarchies() {
        return mounts().stream().filter(m -> m.type().equals("cgroup") || m.type().equals("cgroup2"))
                .map(m -> Path.of(m.point())).distinct().toList();
    }

    /**
     * Removes a pod's cgroup directories (deepest first) in every hierarchy, then the QoS parents
     * when nothing else uses them. Directories still holding processes stay and are reported.
     */
    public static List<String> removePod(String podUid) {
        List<String> stuck = new ArrayList<>();
        for (Path h : hierarchies()) {
            Path pod = h.resolve(podPath(podUid).substring(1));
            if (Files.isDirectory(pod)) {
                try (Stream<Path> walk = Files.walk(pod)) {
                    for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        rmdir(d, stuck);
                    }
                } catch (IOException e) {
                    stuck.add(pod + ": " + e.getMessage());
                }
            }
            for (String parent : List.of(QOS_PARENT, "/kubepods")) {
                Path p = h.resolve(parent.substring(1));
                if (Files.isDirectory(p) && isEmptyCgroup(p)) {
                    rmdir(p, new ArrayList<>());
                }
            }
        }
        return stuck;
    }

    /** Pod directories under the QoS parent, in any hierarchy, whose uid is in {@code podUids}. */
    public static List<Path> existingPods(List<String> podUids) {
        List<Path> found = new ArrayList<>();
        for (Path h : hierarchies()) {
            for (String uid : podUids) {
                Path pod = h.resolve(podPath(uid).substring(1));
                if (Files.isDirectory(pod)) {
                    found.add(pod);
                }
            }
        }
        return found;
    }

    private static boolean isEmptyCgroup(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.noneMatch(Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    private static void rmdir(Path d, List<String> stuck) {
        try {
            Files.delete(d);
        } catch (IOException e) {
            stuck.add(d + ": " + e.getMessage());
        }
    }

    private record Mount(String point, String type) {
    }

    private static List<Mount> mounts() {
        try {
            List<Mount> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                String[] left = halves[0].split(" ");
                String[] right = halves[1].split(" ");
                out.add(new Mount(left[4], right[0]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }
}
