package dev.vigil.lab.image;

import dev.vigil.lab.command.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files of one image layer, gathered from the host (a binary with the shared libraries
 * {@code ldd} reports, whole trees, single files, with every symlink on the way — so Debian's
 * merged {@code /usr} comes along as it is) and from generated content. Paths are kept sorted so
 * the tarball is deterministic.
 */
public final class LayerContent {

    /** One entry of the layer; paths are absolute inside the image. */
    sealed interface Entry {
    }

    record Dir(int mode, int uid, int gid) implements Entry {
    }

    record HostFile(Path source, int mode, int uid, int gid) implements Entry {
    }

    record Content(byte[] bytes, int mode, int uid, int gid) implements Entry {
    }

    record Symlink(String target) implements Entry {
    }

    private final String name;
    private final SortedMap<String, Entry> entries = new TreeMap<>();

    /** A layer whose {@code name} appears in the image history. */
    public LayerContent(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Adds a host executable and every shared library it loads, as {@code ldd} resolves them. */
    public LayerContent binary(String path) {
        hostPath(path);
        for (String lib : sharedLibraries(path)) {
            hostPath(lib);
        }
        return this;
    }

    /** Adds a host file (or directory entry) with its parents and every symlink on its path. */
    public LayerContent hostPath(String path) {
        String current = "";
        String[] parts = path.substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
            current = current + "/" + parts[i];
            Path p = Path.of(current);
            PosixFileAttributes attrs = attributes(p);
            if (attrs.isSymbolicLink()) {
                String target = readLink(p);
                entries.put(current, new Symlink(target));
                Path resolved = p.getParent().resolve(target).normalize();
                String rest = String.join("/", Arrays.copyOfRange(parts, i + 1, parts.length));
                hostPath(rest.isEmpty() ? resolved.toString() : resolved + "/" + rest);
                return this;
            }
            if (attrs.isDirectory()) {
                int mode = i == parts.length - 1 ? mode(p) : 0755;
                entries.putIfAbsent(current, new Dir(mode, 0, 0));
            } else if (attrs.isRegularFile()) {
                entries.put(current, new HostFile(p, mode(p), 0, 0));
            } else {
                throw new IllegalArgumentException("cannot pack " + p + ": not a file, directory or symlink");
            }
        }
        return this;
    }

    /** Adds a host directory tree, keeping paths the filter accepts (binaries in it get their libraries). */
    public LayerContent hostTree(String dir, Predicate<String> include) {
        hostPath(dir);
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
            for (Path p : walk.sorted().toList()) {
                String s = p.toString();
                if (!s.equals(dir) && include.test(s)) {
                    hostPath(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir, e);
        }
        return this;
    }

    public LayerContent file(String path, String content, int mode) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
    }

    public LayerContent file(String path, byte[] content, int mode, int uid, int gid) {
        parents(path);
        entries.put(path, new Content(content.clone(), mode, uid, gid));
        return this;
    }

    public LayerContent dir(String path, int mode, int uid, int gid) {
        parents(path);
        entries.put(path, new Dir(mode, uid, gid));
        return this;
    }

    public LayerContent symlink(String path, String target) {
        parents(path);
        entries.put(path, new Symlink(target));
        return this;
    }

    SortedMap<String, Entry> entries() {
        return Collections.unmodifiableSortedMap(entries);
    }

    /**
     * The shared libraries {@code ldd} resolves for a binary: every {@code => /path} and the
     * interpreter line. Static binaries and scripts have none.
     */
    public static List<String> sharedLibraries(String binary) {
        Command.Result r = Command.of("ldd", binary).allowFailure().run();
        List<String> libs = new ArrayList<>();
        if (r.exitCode() != 0) {
            return libs;
        }
        for (String line : r.stdout().split("\n")) {
            String t = line.strip();
            int arrow = t.indexOf("=> ");
            String candidate = arrow >= 0 ? t.substring(arrow + 3) : t;
            int paren = candidate.indexOf(" (");
            if (paren >= 0) {
                candidate = candidate.substring(0, paren);
            }
            if (candidate.startsWith("/")) {
                libs.add(candidate.strip());
            }
        }
        return libs;
    }

    private void parents(String path) {
        Path parent = Path.of(path).getParent();
        while (parent != null && !parent.toString().equals("/")) {
            entries.putIfAbsent(parent.toString(), new Dir(0755, 0, 0));
            parent = parent.getParent();
        }
    }

    private static PosixFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + p + " into a lab image: it is missing on this machine;"
                    + " install the packages in scripts/system-packages.txt (sudo apt-get install …)", e);
        }
    }

    private static int mode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + p, e);
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
