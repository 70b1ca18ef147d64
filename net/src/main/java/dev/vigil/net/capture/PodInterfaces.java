package dev.vigil.net.capture;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the host side of each pod's veth: for a named network namespace (iproute2's
 * {@code /run/netns}), the peer interface index of its {@code eth0} (from {@code ip -n NS -o link})
 * names the host interface with that {@code ifindex} in {@code /sys/class/net}. Capturing there sees
 * all of the pod's traffic, as the pod itself sends and receives it.
 */
public final class PodInterfaces {

    /** Where iproute2 keeps named network namespaces. */
    public static final Path NETNS_DIR = Path.of("/run/netns");
    private static final Path SYS_NET = Path.of("/sys/class/net");
    private static final Pattern PEER = Pattern.compile("^\\d+:\\s+([^@:\\s]+)@if(\\d+):", Pattern.MULTILINE);

    private PodInterfaces() {
    }

    /**
     * Prefixes of the named network namespaces that hold pods: the lab's ({@code vigil-lab-NS-POD}) and
     * the older form that Vigil's own tests use ({@code vigil-NS-POD}), in the order they are tried.
     */
    public static final List<String> POD_NETNS_PREFIXES = List.of("vigil-lab-", "vigil-");

    /**
     * The named network namespace of pod {@code namespace/name}: {@code vigil-lab-NS-NAME} or
     * {@code vigil-NS-NAME}; failing both, the only namespace that starts with either followed by
     * {@code -} (so a workload name such as {@code shop-api/api} finds its single pod). Null when none
     * or several match.
     */
    public static String findPodNetns(String namespace, String name) {
        List<String> existing = namespaces();
        for (String prefix : POD_NETNS_PREFIXES) {
            if (existing.contains(prefix + namespace + "-" + name)) {
                return prefix + namespace + "-" + name;
            }
        }
        for (String prefix : POD_NETNS_PREFIXES) {
            String start = prefix + namespace + "-" + name + "-";
            List<String> candidates = existing.stream().filter(n -> n.startsWith(start)).toList();
            if (candidates.size() == 1) {
                return candidates.getFirst();
            }
        }
        return null;
    }

    /** Named network namespaces, sorted. */
    public static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(NETNS_DIR)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(NETNS_DIR)) {
            for (Path p : dir) {
                out.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /** The host interface paired with {@code netns}'s {@code eth0} (or its first veth), or null when there is none. */
    public static String hostInterface(String netns) {
        String links = run("ip", "-n", netns, "-o", "link", "show");
        if (links == null) {
            return null;
        }
        Matcher m = PEER.matcher(links);
        String fallback = null;
        while (m.find()) {
            String name = byIndex(Integer.parseInt(m.group(2)));
            if (name == null) {
                continue;
            }
            if (m.group(1).equals("eth0")) {
                return name;
            }
            if (fallback == null) {
                fallback = name;
            }
        }
        return fallback;
    }

    /** Host interfaces of every named namespace that has one, by namespace name. */
    public static Map<String, String> all() {
        return all(Map.of());
    }

    /**
     * As {@link #all()}, reusing the answers of {@code known} for namespaces that still exist (a pod's
     * veth does not change while its namespace lives), so following many pods stays cheap.
     */
    public static Map<String, String> all(Map<String, String> known) {
        Map<String, String> out = new TreeMap<>();
        for (String ns : namespaces()) {
            String iface = known.get(ns);
            if (iface == null || !exists(iface)) {
                iface = hostInterface(ns);
            }
            if (iface != null) {
                out.put(ns, iface);
            }
        }
        return out;
    }

    /** The host-namespace interface with {@code ifindex}, or null. */
    static String byIndex(int ifindex) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(SYS_NET)) {
            for (Path p : dir) {
                Path index = p.resolve("ifindex");
                if (Files.isReadable(index) && Files.readString(index).trim().equals(Integer.toString(ifindex))) {
                    return p.getFileName().toString();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** True when {@code name} is an interface of the host namespace. */
    public static boolean exists(String name) {
        return Files.exists(SYS_NET.resolve(name));
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
