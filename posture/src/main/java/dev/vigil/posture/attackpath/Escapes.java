package dev.vigil.posture.attackpath;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The container escapes a pod spec allows: privileged containers (with hostPID, nsenter into the
 * host's PID 1), {@code SYS_MODULE} (load a kernel module), {@code SYS_PTRACE} with hostPID (inject
 * into host processes), and mounted hostPath volumes that contain {@code /}, {@code /proc/sys/kernel}
 * ({@code core_pattern}), {@code /var/log} (kubelet log symlinks), {@code /etc}, the kubelet's state
 * or a container runtime socket.
 */
final class Escapes {

    static final List<String> SENSITIVE_HOST_PATHS = List.of("/", "/proc/sys/kernel", "/var/log", "/etc",
            "/var/lib/kubelet", "/var/run/docker.sock", "/run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock");

    private Escapes() {
    }

    /** Why this spec lets a process in it become root on the node; empty when it does not. */
    static List<String> of(PodSpec spec) {
        List<String> out = new ArrayList<>();
        boolean hostPid = Boolean.TRUE.equals(spec.getHostPID());
        List<Container> containers = new ArrayList<>();
        if (spec.getInitContainers() != null) {
            containers.addAll(spec.getInitContainers());
        }
        if (spec.getContainers() != null) {
            containers.addAll(spec.getContainers());
        }
        for (Container c : containers) {
            var sc = c.getSecurityContext();
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add("container " + c.getName() + " is privileged" + (hostPid ? " with hostPID (nsenter -t 1)" : ""));
            }
            Set<String> caps = added(sc == null ? null : sc.getCapabilities());
            if (caps.contains("SYS_MODULE") || caps.contains("ALL")) {
                out.add("container " + c.getName() + " adds SYS_MODULE (load a kernel module)");
            }
            if (hostPid && (caps.contains("SYS_PTRACE") || caps.contains("ALL"))) {
                out.add("container " + c.getName() + " adds SYS_PTRACE with hostPID (inject into host processes)");
            }
            if (c.getVolumeMounts() != null) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    String host = hostPath(spec, m.getName());
                    if (host != null && sensitive(host)) {
                        out.add("container " + c.getName() + " mounts hostPath " + host + " at " + m.getMountPath());
                    }
                }
            }
        }
        return out;
    }

    static boolean sensitive(String hostPath) {
        String p = hostPath.length() > 1 ? hostPath.replaceAll("/+$", "") : hostPath;
        for (String s : SENSITIVE_HOST_PATHS) {
            if (p.equals(s) || p.equals("/") || s.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String hostPath(PodSpec spec, String volume) {
        if (spec.getVolumes() == null) {
            return null;
        }
        for (Volume v : spec.getVolumes()) {
            if (v.getName() != null && v.getName().equals(volume) && v.getHostPath() != null) {
                return v.getHostPath().getPath();
            }
        }
        return null;
    }

    private static Set<String> added(Capabilities caps) {
        if (caps == null || caps.getAdd() == null) {
            return Set.of();
        }
        return Set.copyOf(caps.getAdd().stream().map(s -> s.toUpperCase().replaceFirst("^CAP_", "")).toList());
    }
}
