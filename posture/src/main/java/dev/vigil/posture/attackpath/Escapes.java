package dev.vigil.posture.attackpath;

import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.PodTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The container escapes a pod spec allows by itself: privileged containers (with hostPID, nsenter into
 * the host's PID 1), {@code SYS_MODULE} (load a kernel module) and {@code SYS_PTRACE} with hostPID
 * (inject into host processes); and which hostPath volumes reach root on the node: those that contain
 * {@code /}, {@code /proc/sys/kernel} ({@code core_pattern}), {@code /var/log} (kubelet log symlinks),
 * {@code /etc}, the kubelet's state or a container runtime socket.
 */
final class Escapes {

    static final List<String> SENSITIVE_HOST_PATHS = List.of("/", "/proc/sys/kernel", "/var/log", "/etc",
            "/var/lib/kubelet", "/var/run/docker.sock", "/run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock");

    private Escapes() {
    }

    /** Why this pod lets a process in it become root on the node without a host mount; empty when it does not. */
    static List<String> of(PodTemplate pod) {
        List<String> out = new ArrayList<>();
        boolean hostPid = pod.spec().path("hostPID").asBoolean(false);
        for (JsonNode c : pod.containers()) {
            String name = KubeObject.text(c.get("name"));
            JsonNode sc = c.path("securityContext");
            if (sc.path("privileged").asBoolean(false)) {
                out.add("container " + name + " is privileged" + (hostPid ? " with hostPID (nsenter -t 1)" : ""));
            }
            Set<String> caps = added(sc.path("capabilities").path("add"));
            if (caps.contains("SYS_MODULE") || caps.contains("ALL")) {
                out.add("container " + name + " adds SYS_MODULE (load a kernel module)");
            }
            if (hostPid && (caps.contains("SYS_PTRACE") || caps.contains("ALL"))) {
                out.add("container " + name + " adds SYS_PTRACE with hostPID (inject into host processes)");
            }
        }
        return out;
    }

    static boolean sensitive(String hostPath) {
        return risk(hostPath) != null;
    }

    /** What a writable mount of {@code hostPath} gives on the node, or null when it is not known to give root. */
    static String risk(String hostPath) {
        String p = hostPath.length() > 1 ? hostPath.replaceAll("/+$", "") : hostPath;
        for (String s : SENSITIVE_HOST_PATHS) {
            if (p.equals(s) || p.equals("/") || s.startsWith(p + "/")) {
                return switch (s) {
                    case "/" -> "the node's root filesystem";
                    case "/proc/sys/kernel" -> "kernel.core_pattern runs a program as root on the node";
                    case "/var/log" -> "log symlinks the kubelet follows as root";
                    case "/etc" -> "the node's configuration (cron, users, kubelet)";
                    case "/var/lib/kubelet" -> "the kubelet's credentials and every pod's volumes";
                    default -> "the container runtime socket " + s + " (start a privileged container)";
                };
            }
        }
        return null;
    }

    private static Set<String> added(JsonNode add) {
        Set<String> out = new HashSet<>();
        for (JsonNode c : add) {
            if (c.isString()) {
                out.add(c.stringValue().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""));
            }
        }
        return out;
    }
}
