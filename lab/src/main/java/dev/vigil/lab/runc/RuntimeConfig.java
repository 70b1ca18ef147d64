package dev.vigil.lab.runc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an OCI runtime-spec {@code config.json} for a lab container, shaped like what
 * containerd's CRI plugin gives runc for a Kubernetes pod: own pid/ipc/uts/mount namespaces, the
 * pod's network namespace joined by path, Docker's default capability set, the standard masked
 * and read-only {@code /proc} paths, and the kubelet cgroup path.
 */
public final class RuntimeConfig {

    /** Docker's (and containerd's) default capabilities. */
    static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private RuntimeConfig() {
    }

    public static Map<String, Object> render(ContainerSpec spec) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ociVersion", "1.0.2");

        Map<String, Object> user = new LinkedHashMap<>();
        user.put("uid", spec.uid());
        user.put("gid", spec.gid());
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("bounding", DEFAULT_CAPABILITIES);
        caps.put("effective", DEFAULT_CAPABILITIES);
        caps.put("permitted", DEFAULT_CAPABILITIES);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", false);
        process.put("user", user);
        process.put("args", spec.args());
        process.put("env", spec.env());
        process.put("cwd", spec.cwd());
        process.put("capabilities", caps);
        process.put("noNewPrivileges", false);
        c.put("process", process);

        c.put("root", Map.of("path", spec.rootfs().toString(), "readonly", false));
        c.put("hostname", spec.hostname());

        List<Object> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        mounts.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        for (ContainerSpec.BindMount b : spec.binds()) {
            mounts.add(mount(b.destination(), "bind", b.source().toString(),
                    List.of("rbind", "rprivate", b.readOnly() ? "ro" : "rw")));
        }
        c.put("mounts", mounts);

        Map<String, Object> linux = new LinkedHashMap<>();
        List<Object> namespaces = new ArrayList<>();
        namespaces.add(Map.of("type", "pid"));
        namespaces.add(Map.of("type", "ipc"));
        namespaces.add(Map.of("type", "uts"));
        namespaces.add(Map.of("type", "mount"));
        namespaces.add(Map.of("type", "network", "path", spec.netns().toString()));
        linux.put("namespaces", namespaces);
        linux.put("cgroupsPath", spec.cgroupsPath());
        linux.put("resources", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))));
        linux.put("maskedPaths", List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"));
        linux.put("readonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        c.put("linux", linux);
        c.put("annotations", new TreeMap<>(spec.annotations()));
        return c;
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }
}
