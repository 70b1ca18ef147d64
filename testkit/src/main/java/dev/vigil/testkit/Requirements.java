package dev.vigil.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions of tests that need root, system programs or the shared conformance corpora.
 *
 * <p>Outside CI a missing precondition skips the test with a message naming the fix. With
 * {@code CI=true} it fails the test instead: on CI nothing may be skipped for lack of root,
 * packages or corpora.
 */
public final class Requirements {

    private Requirements() {
    }

    /** True when running under CI ({@code CI=true}), where missing preconditions fail. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Requires the effective user to be root (lab, namespaces, cgroups, fanotify, ftrace). */
    public static void requireRoot() {
        require(isRoot(), "this test needs root: run the test command with sudo");
    }

    /** Requires every program to be on PATH; the message names the Debian package list to install. */
    public static void requireCommands(String... commands) {
        List<String> missing = Arrays.stream(commands).filter(c -> which(c) == null).toList();
        require(missing.isEmpty(), "missing programs " + missing
                + ": install the system packages listed in scripts/system-packages.txt (sudo apt-get install …)");
    }

    /** The project root: {@code VIGIL_PROJECT_ROOT} (set by the build), else the nearest folder holding {@code mvnw}. */
    public static Path projectRoot() {
        String env = System.getenv("VIGIL_PROJECT_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        return dir;
    }

    /**
     * The shared conformance corpora ({@code ../shared/corpora} beside the project root, or
     * {@code VIGIL_CORPORA}); skips (fails on CI) when absent.
     */
    public static Path corpora() {
        String env = System.getenv("VIGIL_CORPORA");
        Path dir = env != null && !env.isBlank()
                ? Path.of(env)
                : projectRoot().resolve("../shared/corpora").normalize();
        require(Files.isDirectory(dir), "conformance corpora not found at " + dir
                + ": check out ../shared beside the project or set VIGIL_CORPORA");
        return dir;
    }

    /** Skips (or fails on CI) unless {@code condition} holds. */
    public static void require(boolean condition, String whatIsMissing) {
        if (condition) {
            return;
        }
        if (onCi()) {
            throw new AssertionError("required on CI: " + whatIsMissing);
        }
        Assumptions.abort(whatIsMissing);
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static Path which(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, command);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
