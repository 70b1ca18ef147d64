package dev.vigil.host.file;

import java.util.List;

/**
 * Which paths (as a container sees them) are sensitive to read, link to or write. A pattern ending
 * in {@code /} matches everything below that directory; a {@code *} matches any run of characters
 * within one path component. Immutable.
 *
 * @param reads        reading these is reported (credentials, keys, tokens)
 * @param systemDirs   writing or creating below these is reported
 */
public record SensitiveFiles(List<String> reads, List<String> systemDirs) {

    /** Credentials, keys and tokens whose reading Vigil reports by default. */
    public static final List<String> DEFAULT_READS = List.of(
            "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d/",
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            "/run/secrets/kubernetes.io/serviceaccount/token",
            "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
            "/root/.ssh/", "/home/*/.ssh/", "/etc/ssh/ssh_host_*_key",
            "/root/.aws/credentials", "/home/*/.aws/credentials",
            "/root/.config/gcloud/", "/home/*/.config/gcloud/",
            "/root/.azure/", "/home/*/.azure/",
            "/root/.kube/config", "/home/*/.kube/config",
            "/root/.docker/config.json", "/home/*/.docker/config.json",
            "/etc/kubernetes/admin.conf", "/etc/kubernetes/pki/");

    /** System directories whose files should not change in a running container. */
    public static final List<String> DEFAULT_SYSTEM_DIRS = List.of("/bin/", "/sbin/", "/usr/", "/lib/", "/lib64/",
            "/etc/");

    /** The default lists. */
    public static final SensitiveFiles DEFAULT = new SensitiveFiles(DEFAULT_READS, DEFAULT_SYSTEM_DIRS);

    public SensitiveFiles {
        reads = List.copyOf(reads);
        systemDirs = List.copyOf(systemDirs);
        for (String p : reads) {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("sensitive path: " + p + " must be absolute");
            }
        }
        for (String p : systemDirs) {
            if (!p.startsWith("/") || !p.endsWith("/")) {
                throw new IllegalArgumentException("system directory: " + p + " must be absolute and end with /");
            }
        }
    }

    /** True when reading {@code path} is reported. */
    public boolean isSensitiveRead(String path) {
        for (String p : reads) {
            if (matches(p, path)) {
                return true;
            }
        }
        return false;
    }

    /** True when writing {@code path} is reported. */
    public boolean isSystemPath(String path) {
        for (String p : systemDirs) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String path) {
        if (pattern.endsWith("/")) {
            return glob(pattern, 0, path, 0, true);
        }
        return glob(pattern, 0, path, 0, false);
    }

    private static boolean glob(String p, int pi, String s, int si, boolean prefix) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k, prefix)) {
                        return true;
                    }
                    if (k < s.length() && s.charAt(k) == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (si >= s.length() || s.charAt(si) != c) {
                return false;
            }
            pi++;
            si++;
        }
        return prefix || si == s.length();
    }
}
