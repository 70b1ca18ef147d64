package dev.vigil.host.container;

/**
 * Finds the container a process runs in from its {@code /proc/<pid>/cgroup} content. Recognised
 * layouts (the id is 64 hexadecimal characters in each):
 * <ul>
 *   <li>containerd, systemd driver: {@code …/cri-containerd-<id>.scope} → runtime {@code containerd}</li>
 *   <li>CRI-O: {@code …/crio-<id>.scope} ({@code crio-conmon-<id>} is the monitor, not the container) → {@code cri-o}</li>
 *   <li>docker: {@code /docker/<id>}, {@code …/docker-<id>.scope} → {@code docker}</li>
 *   <li>kubelet cgroupfs driver (containerd, and Vigil's lab): {@code /kubepods/<qos>/pod<uid>/<id>} → runtime
 *       unknown (null); identity resolution names it</li>
 * </ul>
 * Parsing is tolerant: any content, truncated or malformed, yields null rather than an exception.
 * Lines longer than {@link #MAX_LINE} bytes are skipped.
 */
public final class CgroupContainer {

    /** Longest cgroup line considered. */
    public static final int MAX_LINE = 4096;

    private static final int ID_LENGTH = 64;

    /**
     * A container found in a cgroup path.
     *
     * @param id      the 64-character id
     * @param runtime {@code containerd}, {@code cri-o}, {@code docker}, or null when the layout does not say
     * @param cgroup  the cgroup path it was found in
     */
    public record Ref(String id, String runtime, String cgroup) {
    }

    private CgroupContainer() {
    }

    /** Parses the text of a {@code /proc/<pid>/cgroup} file. */
    public static Ref parse(String content) {
        byte[] b = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parse(b, b.length);
    }

    /** Parses {@code len} bytes of a {@code /proc/<pid>/cgroup} file; null when no container is named. */
    public static Ref parse(byte[] buf, int len) {
        int n = Math.min(len, buf.length);
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = lineStart;
            while (lineEnd < n && buf[lineEnd] != '\n') {
                lineEnd++;
            }
            if (lineEnd - lineStart <= MAX_LINE) {
                Ref ref = parseLine(buf, lineStart, lineEnd);
                if (ref != null) {
                    return ref;
                }
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    private static Ref parseLine(byte[] b, int from, int to) {
        int colons = 0;
        int path = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':' && ++colons == 2) {
                path = i + 1;
                break;
            }
        }
        if (path < 0 || path >= to) {
            return null;
        }
        int segEnd = to;
        for (int i = to - 1; i >= path - 1; i--) {
            if (i == path - 1 || b[i] == '/') {
                Ref ref = parseSegment(b, i + 1, segEnd, b, path, to);
                if (ref != null) {
                    return ref;
                }
                segEnd = i;
            }
        }
        return null;
    }

    private static Ref parseSegment(byte[] b, int from, int to, byte[] line, int path, int lineEnd) {
        int len = to - from;
        if (len < ID_LENGTH) {
            return null;
        }
        int end = to;
        if (endsWith(b, from, to, ".scope")) {
            end = to - ".scope".length();
        }
        int start = end - ID_LENGTH;
        if (start < from || !isHex(b, start, end)) {
            return null;
        }
        String runtime;
        if (start == from) {
            runtime = segmentBefore(b, path, from, "docker") ? "docker" : null;
        } else {
            String prefix = new String(b, from, start - from, java.nio.charset.StandardCharsets.ISO_8859_1);
            runtime = switch (prefix) {
                case "cri-containerd-" -> "containerd";
                case "crio-" -> "cri-o";
                case "docker-" -> "docker";
                default -> null;
            };
            if (runtime == null) {
                return null;
            }
        }
        return new Ref(new String(b, start, ID_LENGTH, java.nio.charset.StandardCharsets.ISO_8859_1), runtime,
                new String(line, path, lineEnd - path, java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean segmentBefore(byte[] b, int path, int segStart, String name) {
        int end = segStart - 1;
        int start = end - name.length();
        if (start < path || b[end] != '/') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (b[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return start == path || b[start - 1] == '/';
    }

    private static boolean endsWith(byte[] b, int from, int to, String suffix) {
        int s = to - suffix.length();
        if (s < from) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            if (b[s + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
