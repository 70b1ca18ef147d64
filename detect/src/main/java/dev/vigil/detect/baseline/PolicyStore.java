package dev.vigil.detect.baseline;

import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps workload policies in a state directory so that baselines and modes survive restarts, and so
 * that {@code vigil policy} commands and a running agent share them.
 *
 * <p>Layout: {@code <state-dir>/policies/<namespace>_<kind>_<name>.yaml}, one {@link PolicyYaml}
 * document per workload (the export format, so a state file is readable and importable as it is).
 * Each write goes to a temporary file in the same directory, is forced to disk, renamed over the old
 * file ({@code ATOMIC_MOVE}) and the directory is forced: a crash leaves the old or the new file,
 * never a torn one. Writers (agent and commands, possibly in different processes) take an exclusive
 * lock on {@code policies/.lock} for each read-check-write.
 *
 * <p>The agent {@link #save}s its baselines periodically: only workloads changed since their last
 * write are written, and a file changed on disk since then (by {@code vigil policy mode} or
 * {@code import}) is applied to the baselines first ({@link #sync}) instead of being overwritten.
 * Not thread-safe per instance; one instance per directory per process.
 */
public final class PolicyStore {

    /** The directory below the state directory that holds the policy files. */
    public static final String POLICIES = "policies";
    private static final String SUFFIX = ".yaml";
    private static final String LOCK = ".lock";
    private static final Map<Path, Object> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    /** What this store last wrote or read per file: the workload's version then and the file's fingerprint. */
    private final Map<Path, Seen> seen = new HashMap<>();

    private record Seen(WorkloadRef workload, long version, Fingerprint file) {
    }

    private record Fingerprint(long size, long modifiedNanos, Object fileKey) {
    }

    public PolicyStore(Path stateDir) {
        this.dir = stateDir.resolve(POLICIES);
    }

    /** The directory holding the policy files. */
    public Path directory() {
        return dir;
    }

    /** The file that holds {@code w}'s policy. */
    public Path file(WorkloadRef w) {
        return dir.resolve(encode(w.namespace()) + "_" + encode(w.kind()) + "_" + encode(w.name()) + SUFFIX);
    }

    /** Every policy in the directory (none when it does not exist), sorted as {@link Baselines#policies()}. */
    public List<WorkloadPolicy> readAll(long now) throws IOException {
        Baselines scratch = new Baselines(BaselineConfig.defaults());
        for (Path f : files()) {
            for (WorkloadPolicy p : readFile(f, now)) {
                scratch.replace(p);
            }
        }
        return scratch.policies();
    }

    /** The policy of {@code w}, if the directory has one. */
    public Optional<WorkloadPolicy> read(WorkloadRef w, long now) throws IOException {
        Path f = file(w);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return readFile(f, now).stream().filter(p -> p.workload().equals(w)).findFirst();
    }

    /** Writes (creates or replaces) one workload's policy; for commands. */
    public void write(WorkloadPolicy p) throws IOException {
        withLock(() -> {
            writeFile(file(p.workload()), p);
            return null;
        });
    }

    /** Loads every policy in the directory into {@code into} (which the agent then runs with). */
    public int load(Baselines into, long now) throws IOException {
        return withLock(() -> sync(into, now));
    }

    /**
     * Applies files that changed on disk since this store last wrote or read them; returns how many
     * workloads were replaced.
     */
    public int sync(Baselines baselines, long now) throws IOException {
        int applied = 0;
        for (Path f : files()) {
            Fingerprint fp = fingerprint(f);
            Seen s = seen.get(f);
            if (fp == null || (s != null && s.file.equals(fp))) {
                continue;
            }
            for (WorkloadPolicy p : readFile(f, now)) {
                baselines.replace(p);
                seen.put(f, new Seen(p.workload(), baselines.version(p.workload()), fp));
                applied++;
            }
        }
        return applied;
    }

    /**
     * Writes every workload changed since its last write, after applying files changed on disk by
     * others; returns how many files were written.
     */
    public int save(Baselines baselines, long now) throws IOException {
        return withLock(() -> {
            sync(baselines, now);
            int written = 0;
            for (WorkloadRef w : baselines.workloads()) {
                Path f = file(w);
                long version = baselines.version(w);
                Seen s = seen.get(f);
                if (s != null && s.version == version && Files.exists(f)) {
                    continue;
                }
                Optional<WorkloadPolicy> p = baselines.policy(w);
                if (p.isPresent()) {
                    writeFile(f, p.get());
                    seen.put(f, new Seen(w, version, fingerprint(f)));
                    written++;
                }
            }
            return written;
        });
    }

    /** Deletes the policy file of {@code w}; true when there was one. */
    public boolean delete(WorkloadRef w) throws IOException {
        return withLock(() -> {
            Path f = file(w);
            seen.remove(f);
            return Files.deleteIfExists(f);
        });
    }

    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static List<WorkloadPolicy> readFile(Path f, long now) throws IOException {
        return PolicyYaml.read(Files.readString(f, StandardCharsets.UTF_8), f.toString(), now);
    }

    private void writeFile(Path target, WorkloadPolicy p) throws IOException {
        Files.createDirectories(dir);
        byte[] bytes = PolicyYaml.write(List.of(p)).getBytes(StandardCharsets.UTF_8);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically (" + e.getMessage()
                        + "); put the state directory on a local file system", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Fingerprint fingerprint(Path f) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new Fingerprint(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    a.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    private <T> T withLock(Locked<T> body) throws IOException {
        Files.createDirectories(dir);
        Object processLock = PROCESS_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new Object());
        synchronized (processLock) {
            try (FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                return body.run();
            }
        }
    }

    /** Keeps file names to letters, digits, dot and dash; anything else as %XX (names are DNS labels anyway). */
    private static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }
}
