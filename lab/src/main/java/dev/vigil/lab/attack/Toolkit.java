package dev.vigil.lab.attack;

import dev.vigil.lab.image.LayerContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The attacker's tools, brought into a container that lacks them, as an intruder downloads them:
 * the machine's Debian binary with the shared libraries {@code ldd} names and the data files it
 * needs, written through {@code /proc/<pid>/root} into {@value #DIR} — the container's writable
 * layer, so running them is drift as well. Commands in that container then get the toolkit on
 * {@code PATH} and {@code LD_LIBRARY_PATH}. A tool the image already has is used as it is. The
 * toolkit is removed when the scenario ends.
 */
final class Toolkit {

    /** Where tools go inside a container. */
    static final String DIR = "/tmp/.vigil-toolkit";
    /** The dynamic loader every lab image carries, which the dropped binaries name as interpreter. */
    static final String LOADER = "/lib64/ld-linux-x86-64.so.2";

    /** Debian package of each tool, for the message when the host lacks it. */
    private static final Map<String, String> PACKAGES = Map.of("nmap", "nmap", "perl", "perl-base", "curl", "curl",
            "openssl", "openssl", "socat", "socat");
    /** Data files a tool reads, copied to {@code share/<tool>/}. */
    private static final Map<String, List<String>> DATA = Map.of("nmap", List.of("/usr/share/nmap/nmap-services",
            "/usr/share/nmap/nmap-payloads", "/usr/share/nmap/nmap-protocols", "/usr/share/nmap/nmap-rpc",
            "/usr/share/nmap/nmap-service-probes", "/usr/share/nmap/nmap-mac-prefixes", "/usr/share/nmap/nmap-os-db"));

    private final AttackRun run;
    private final Map<String, List<String>> envByContainer = new HashMap<>();
    private final Set<String> dropped = new HashSet<>();

    Toolkit(AttackRun run) {
        this.run = run;
    }

    /**
     * Makes {@code program} runnable by name in {@code where}: nothing to do when the image has it,
     * otherwise drops it in (a recorded step). Returns the name to run it by.
     */
    String ensure(Source where, String program) throws IOException {
        if (ContainerFs.findProgram(where.container(), program) != null || !dropped.add(where.container().id() + "/" + program)) {
            return program;
        }
        Path hostBinary = hostProgram(program);
        long start = AttackRun.nowNanos();
        run.starting("drop " + program + " into the container", where.toString());
        if (!Files.exists(ContainerFs.resolve(where.container(), LOADER))) {
            throw new AttackException(where + " has no dynamic loader at " + LOADER + " to run a dropped " + program);
        }
        Path tmp = ContainerFs.resolve(where.container(), "/tmp");
        if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
            throw new AttackException(where + " has no /tmp directory to drop " + program + " into");
        }
        Path dir = tmp.resolve(DIR.substring("/tmp/".length()));
        boolean fresh = !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        if (fresh) {
            run.onCleanup("remove " + DIR + " from " + where, () -> deleteTree(dir));
        }
        List<String> copied = new ArrayList<>();
        copy(hostBinary, dir.resolve("bin").resolve(program), true);
        copied.add(DIR + "/bin/" + program);
        int libraries = 0;
        for (String lib : LayerContent.sharedLibraries(hostBinary.toString())) {
            if (!lib.endsWith("/" + Path.of(LOADER).getFileName())) {
                copy(Path.of(lib), dir.resolve("lib").resolve(Path.of(lib).getFileName().toString()), false);
                libraries++;
            }
        }
        for (String data : DATA.getOrDefault(program, List.of())) {
            copy(Path.of(data), dir.resolve("share").resolve(program).resolve(Path.of(data).getFileName().toString()), false);
        }
        envByContainer.put(where.container().id(), List.of("PATH=" + DIR + "/bin:" + imagePath(where),
                "LD_LIBRARY_PATH=" + DIR + "/lib", "NMAPDIR=" + DIR + "/share/nmap"));
        try (AttackRun.Preparation p = run.preparation()) {
            run.record("drop " + program + " into the container", where.toString(), start,
                    "copied " + hostBinary + " to " + copied.getFirst() + " with " + libraries + " shared libraries"
                            + (DATA.containsKey(program) ? " and " + DATA.get(program).size() + " data files" : "")
                            + ", written into the container's upper layer (running it is drift too)");
        }
        return program;
    }

    /** {@code --env} values for commands in {@code where}: the toolkit's paths once a tool was dropped there. */
    List<String> env(Source where) {
        return envByContainer.getOrDefault(where.container().id(), List.of());
    }

    private static Path hostProgram(String program) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program);
            }
        }
        throw new AttackException("the attacker's " + program + " comes from this machine, which lacks it: sudo apt-get install "
                + PACKAGES.getOrDefault(program, program));
    }

    /** The {@code PATH} of the container's main process (the image's), so dropped tools come first but nothing is lost. */
    private static String imagePath(Source where) throws IOException {
        Path environ = Path.of("/proc", Long.toString(where.container().pid()), "environ");
        for (String var : new String(Files.readAllBytes(environ), StandardCharsets.UTF_8).split("\0")) {
            if (var.startsWith("PATH=")) {
                return var.substring(5);
            }
        }
        return String.join(":", ContainerFs.PATH);
    }

    private static void copy(Path from, Path to, boolean executable) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
