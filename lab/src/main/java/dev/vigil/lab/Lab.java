package dev.vigil.lab;

import dev.vigil.lab.netns.Netns;
import dev.vigil.lab.runc.Runc;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * The real single-node lab: bring it up, look at it, run commands in its containers, take it
 * down. One lab runs per machine; a second {@code up} waits for the first lab's lock and says so.
 *
 * <p>Tests use the shared instance: {@code LabStatus lab = Lab.shared();} brings the lab up once
 * per test JVM and takes it down when the JVM ends (also when it is killed: the lab daemon notices
 * its owner is gone). A test that needs the machine without a lab calls {@link #releaseOwned}
 * first: an {@code up} in the JVM that owns the running lab would wait for its own lock. Everything needs root; {@link #checkPrerequisites()} names what is missing.
 */
public final class Lab {

    /** The default lab directory. */
    public static final Path DEFAULT_DIR = Path.of("/var/lib/vigil-lab");
    /** How long {@code up} waits for another lab's lock before giving up. */
    public static final Duration LOCK_TIMEOUT = Duration.ofMinutes(30);
    /** How long {@code down} lets the daemon tear the lab down before killing it and sweeping. */
    public static final Duration DAEMON_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@code down} waits for the lock that a just-stopped daemon releases. */
    static final Duration SWEEP_LOCK_WAIT = Duration.ofSeconds(5);
    /** Default limit on one {@link #exec} call. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    /** Program → Debian package, for everything the lab runs on the host or packs into images. */
    static final Map<String, String> PREREQUISITES = prerequisites();

    private static boolean sharedHookInstalled;

    private Lab() {
    }

    /**
     * Brings the lab up in {@code dir} and returns when every pod is ready. The lab keeps running
     * after this JVM ends, until {@link #down}. Progress lines go to {@code progress}.
     */
    public static LabStatus up(Path dir, Consumer<String> progress) {
        return start(dir, false, progress);
    }

    /** Like {@link #up}, but the lab is torn down when this JVM ends, however it ends. */
    public static LabStatus upOwned(Path dir, Consumer<String> progress) {
        return start(dir, true, progress);
    }

    /**
     * The lab for tests: the lab this JVM already owns when it is up and ready (whichever class
     * brought it up), else a new one in {@link #DEFAULT_DIR} (progress on stderr) torn down when the
     * JVM exits, even after failures. Read afresh on each call, so a class that took the lab down
     * (see {@link #releaseOwned}) leaves the next caller a running lab, not stale pids.
     */
    public static synchronized LabStatus shared() {
        Optional<LabStatus> mine = ownedHere();
        if (mine.isPresent()) {
            return mine.get();
        }
        LabStatus status = upOwned(DEFAULT_DIR, m -> System.err.println("vigil lab: " + m));
        if (!sharedHookInstalled) {
            sharedHookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> releaseOwned(), "vigil-lab-shared-down"));
        }
        return status;
    }

    /**
     * Takes down the lab this process owns, if one runs: for a test that needs the machine without
     * a lab (its own {@code vigil lab up}, or checking that nothing is left behind).
     */
    public static synchronized void releaseOwned() {
        LabState s = LabState.read();
        if (s != null && s.owned && s.starterPid == ProcessHandle.current().pid()) {
            down(m -> { });
        }
    }

    /** The lab this process owns, when it is up and ready. */
    private static Optional<LabStatus> ownedHere() {
        LabState s = LabState.read();
        if (s != null && s.owned && s.starterPid == ProcessHandle.current().pid()) {
            return status();
        }
        return Optional.empty();
    }

    /** The running lab, if one is up and ready. */
    public static Optional<LabStatus> status() {
        LabState s = LabState.read();
        if (s == null || !"ready".equals(s.phase) || !LabDaemon.alive(s.daemonPid)) {
            return Optional.empty();
        }
        return Optional.of(s.status());
    }

    /**
     * Runs {@code argv} in a container through {@code runc exec} (a real container process in the
     * pod's namespaces and cgroup). {@code pod} is the pod name or its workload name;
     * {@code container} null means the pod's first container.
     */
    public static ExecResult exec(String namespace, String pod, String container, String... argv) {
        return exec(namespace, pod, container, EXEC_TIMEOUT, argv);
    }

    public static ExecResult exec(String namespace, String pod, String container, Duration timeout, String... argv) {
        ProcessBuilder pb = new ProcessBuilder(execArgv(namespace, pod, container, List.of(argv)));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LabException(String.join(" ", argv) + " in " + namespace + "/" + pod + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new LabException("cannot run runc: " + e.getMessage() + " (sudo apt-get install runc)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    /** The {@code runc exec} command line for a container, for callers that pass stdio through. */
    public static List<String> execArgv(String namespace, String pod, String container, List<String> argv) {
        LabStatus status = status().orElseThrow(() -> new LabException("no lab is running: start one with `sudo ./vigil lab up`"));
        LabStatus.Pod p = status.pod(namespace, pod);
        LabStatus.Container c = container == null ? p.containers().getFirst() : p.container(container);
        return Runc.execArgv(c.id(), argv);
    }

    /** Runs {@code body} on a thread inside the pod's network namespace (sockets it opens are the pod's). */
    public static <T> T inPod(String namespace, String pod, Callable<T> body) throws Exception {
        LabStatus status = status().orElseThrow(() -> new LabException("no lab is running: start one with `sudo ./vigil lab up`"));
        return Netns.call(status.pod(namespace, pod).netns(), body);
    }

    /**
     * Takes the lab down: stops the daemon (which tears everything down), then sweeps whatever a
     * crashed lab left behind. Idempotent; safe when no lab runs.
     */
    public static void down(Consumer<String> progress) {
        checkRoot("down");
        long daemon = LabLock.holderPid();
        if (daemon > 0 && LabDaemon.alive(daemon) && isDaemon(daemon)) {
            progress.accept("stopping the lab daemon (pid " + daemon + ")");
            ProcessHandle h = ProcessHandle.of(daemon).orElseThrow();
            h.destroy();
            long deadline = System.nanoTime() + DAEMON_STOP_TIMEOUT.toNanos();
            while (Sweeper.running(daemon) && System.nanoTime() < deadline) {
                sleep(20);
            }
            if (Sweeper.running(daemon)) {
                h.destroyForcibly();
            }
        }
        List<String> stuck = new ArrayList<>();
        LabLock lock = LabLock.acquire("pid " + ProcessHandle.current().pid() + " (vigil lab down)", SWEEP_LOCK_WAIT,
                () -> false, m -> { });
        if (lock == null) {
            progress.accept("another lab now holds " + LabLock.PATH + " (" + LabLock.holder()
                    + "); it removed what was left of this one when it started");
            return;
        }
        try {
            stuck.addAll(Sweeper.sweep(Files.exists(Path.of(LabState.FILE)) ? LabState.read() : null, progress));
        } finally {
            lock.close();
        }
        if (!stuck.isEmpty()) {
            throw new LabException("lab down could not remove: " + String.join("; ", stuck));
        }
    }

    /** Fails with a message naming what is missing (root, programs with their Debian packages). */
    public static void checkPrerequisites() {
        checkRoot("up");
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        PREREQUISITES.forEach((program, pkg) -> {
            if (!Files.isExecutable(Path.of(program)) && which(program) == null) {
                missing.add(program);
                if (!packages.contains(pkg)) {
                    packages.add(pkg);
                }
            }
        });
        if (!missing.isEmpty()) {
            throw new LabException("the lab needs " + String.join(", ", missing) + ": install them with `sudo apt-get install "
                    + String.join(" ", packages) + "` (all are listed in scripts/system-packages.txt)");
        }
    }

    private static void checkRoot(String verb) {
        if (!isRoot()) {
            throw new LabException("the lab needs root (network namespaces, runc, mounts, cgroups): run `sudo ./vigil lab " + verb + "`");
        }
    }

    private static LabStatus start(Path dir, boolean owned, Consumer<String> progress) {
        checkPrerequisites();
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(LabState.RUN);
            Path log = Files.createTempFile(LabState.RUN, "daemon-", ".log");
            List<String> argv = new ArrayList<>(List.of("setsid", javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", daemonClasspath(),
                    LabDaemon.class.getName(), abs.toString(), Long.toString(ProcessHandle.current().pid()),
                    Boolean.toString(owned), Long.toString(LOCK_TIMEOUT.toSeconds()), log.toString()));
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.redirectErrorStream(true);
            Process daemon = pb.start();
            try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                return follow(daemon, reader, progress);
            } finally {
                if (!daemon.isAlive()) {
                    Files.deleteIfExists(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab daemon", e);
        }
    }

    private static LabStatus follow(Process daemon, BufferedReader reader, Consumer<String> progress) throws IOException {
        Deque<String> tail = new ArrayDeque<>();
        while (true) {
            String line = reader.readLine();
            if (line == null) {
                if (!daemon.isAlive()) {
                    String rest;
                    while ((rest = reader.readLine()) != null) {
                        remember(tail, rest);
                    }
                    throw new LabException("the lab daemon ended before the lab was ready (exit " + daemon.exitValue()
                            + "); its last output:\n  " + String.join("\n  ", tail));
                }
                sleep(50);
                continue;
            }
            remember(tail, line);
            if (!line.startsWith(LabDaemon.PREFIX)) {
                continue;
            }
            String message = line.substring(LabDaemon.PREFIX.length());
            if (message.equals(LabDaemon.READY)) {
                return status().orElseThrow(() -> new LabException("the lab said ready but its state is unreadable: " + LabState.FILE));
            }
            if (message.startsWith(LabDaemon.FAILED)) {
                waitFor(daemon);
                StringBuilder why = new StringBuilder(message.substring(LabDaemon.FAILED.length()));
                String rest;
                while ((rest = reader.readLine()) != null) {
                    if (rest.startsWith(LabDaemon.PREFIX + LabDaemon.CONTINUED)) {
                        why.append('\n').append(rest.substring(LabDaemon.PREFIX.length() + LabDaemon.CONTINUED.length()));
                    }
                }
                throw new LabException("lab up failed: " + why);
            }
            if (message.startsWith(LabDaemon.CONTINUED)) {
                continue;
            }
            progress.accept(message);
        }
    }

    private static void remember(Deque<String> tail, String line) {
        tail.addLast(line);
        if (tail.size() > 30) {
            tail.removeFirst();
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isDaemon(long pid) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            return cmdline.contains(LabDaemon.class.getName());
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This JVM's class path with manifest-only jars (surefire's booter, the CLI's
     * {@code vigil.jar}) expanded, so the daemon never depends on a temporary jar.
     */
    static String daemonClasspath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            entries.add(Path.of(e).toAbsolutePath().toString());
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
                try (JarFile jar = new JarFile(e)) {
                    var manifest = jar.getManifest();
                    String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        Path base = Path.of(e).toAbsolutePath().getParent();
                        for (String ref : cp.trim().split("\\s+")) {
                            Path p = ref.startsWith("file:") ? Path.of(java.net.URI.create(ref)) : base.resolve(ref);
                            entries.add(p.normalize().toString());
                        }
                    }
                } catch (IOException ignored) {
                    // not a readable jar: keep it as it is
                }
            }
        }
        return String.join(File.pathSeparator, entries.stream().distinct().toList());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static Path which(String program) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program);
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the lab");
        }
    }

    private static Map<String, String> prerequisites() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("runc", "runc");
        m.put("ip", "iproute2");
        m.put("socat", "socat");
        m.put("openssl", "openssl");
        m.put("busybox", "busybox-static");
        m.put("dnsmasq", "dnsmasq");
        m.put("redis-server", "redis-server");
        m.put("redis-cli", "redis-server");
        m.put("curl", "curl");
        m.put("setsid", "util-linux");
        m.put("ldd", "libc-bin");
        m.put("/usr/lib/postgresql/15/bin/postgres", "postgresql");
        return m;
    }
}
