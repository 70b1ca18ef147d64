package dev.vigil.posture.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Objects from files: each path is a YAML or JSON file, a folder (read recursively, {@code .yaml},
 * {@code .yml} and {@code .json} files in name order) or {@code -} for standard input. A file is JSON
 * when its first non-blank character is <code>{</code> or {@code [}, YAML otherwise. Every object
 * carries its file, document and line.
 */
public final class FileSource implements ObjectSource {

    /** The path that stands for standard input. */
    public static final String STDIN = "-";

    private final List<String> paths;
    private final Supplier<InputStream> stdin;

    /** Files, folders or {@code -}; standard input is {@link System#in}. */
    public FileSource(List<String> paths) {
        this(paths, () -> System.in);
    }

    public FileSource(List<String> paths, Supplier<InputStream> stdin) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no input paths");
        }
        this.paths = List.copyOf(paths);
        this.stdin = stdin;
    }

    /** True when one of the paths is standard input, which can be read only once. */
    public boolean readsStdin() {
        return paths.contains(STDIN);
    }

    @Override
    public String describe() {
        return "files " + String.join(", ", paths);
    }

    @Override
    public void read(ObjectSink sink) throws IOException {
        for (String p : paths) {
            if (STDIN.equals(p)) {
                readStream("<stdin>", stdin.get(), sink);
                continue;
            }
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                for (Path f : manifests(path)) {
                    readFile(f, sink);
                }
            } else if (Files.isRegularFile(path)) {
                readFile(path, sink);
            } else {
                throw new NoSuchFileException(p, null, "no such file or folder");
            }
        }
    }

    /** The manifest files under {@code dir}, recursively, sorted by path. */
    static List<Path> manifests(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> out = new ArrayList<>(walk.filter(Files::isRegularFile).filter(FileSource::isManifest).toList());
            out.sort(null);
            return out;
        }
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static void readFile(Path path, ObjectSink sink) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            readStream(path.toString(), in, sink);
        }
    }

    private static void readStream(String name, InputStream in, ObjectSink sink) throws IOException {
        BufferedInputStream input = new BufferedInputStream(in, 1 << 16);
        if (startsAsJson(input)) {
            JsonReader.read(name, input, sink);
        } else {
            YamlReader.read(name, input, sink);
        }
    }

    /** Peeks at the first byte that is not blank (nor a UTF-8 byte order mark) without consuming the input. */
    private static boolean startsAsJson(BufferedInputStream input) throws IOException {
        input.mark(1 << 15);
        try {
            for (int i = 0; i < (1 << 15) - 1; i++) {
                int c = input.read();
                if (c < 0) {
                    return false;
                }
                if (c == 0xEF || c == 0xBB || c == 0xBF || c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F)) {
                    continue;
                }
                return c == '{' || c == '[';
            }
            return false;
        } finally {
            input.reset();
        }
    }
}
