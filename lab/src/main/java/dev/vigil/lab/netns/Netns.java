package dev.vigil.lab.netns;

import dev.vigil.lab.command.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Named network namespaces ({@code ip netns}) on the lab bridge: creation with a veth pair
 * whose host end is enslaved to the bridge, addresses, on-link routes (never a default route),
 * removal, and running Java code inside a namespace.
 *
 * <p>Every name the lab gives the kernel starts with {@code vigil}: namespaces
 * {@value #PREFIX}…, the bridge {@value #BRIDGE}, host-side veths {@code vigil<10 hex>} derived
 * from the namespace name ({@link #hostVeth}), so leftovers can always be found — without
 * touching other {@code vigil…} objects that tests of other modules create — and a pod's host
 * interface can be named from its namespace alone.
 */
public final class Netns {

    /** The lab bridge; it carries no address, so the host never routes lab traffic. */
    public static final String BRIDGE = "vigil0";
    /** Prefix of every lab namespace. */
    public static final String PREFIX = "vigil-lab-";
    /** Where iproute2 keeps named namespaces. */
    public static final Path RUN_DIR = Path.of("/var/run/netns");

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private Netns() {
    }

    /** The bind-mounted namespace file that runc joins by path. */
    public static Path path(String name) {
        return RUN_DIR.resolve(name);
    }

    /** The host end of a namespace's veth pair: {@code vigil} + 10 hex digits of sha256(name). */
    public static String hostVeth(String netns) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(netns.getBytes(StandardCharsets.UTF_8));
            return "vigil" + HexFormat.of().formatHex(d).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the bridge (no address, no forwarding to any uplink) unless it exists. */
    public static void createBridge() {
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
            return;
        }
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("link", "set", BRIDGE, "up");
    }

    public static void deleteBridge() {
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
            Command.of("ip", "link", "del", BRIDGE).allowFailure().run();
        }
    }

    /**
     * Creates namespace {@code name} with {@code eth0} on the bridge, the given addresses
     * ({@code a.b.c.d/len}; the first is primary) and on-link routes for the given prefixes only.
     */
    public static void create(String name, List<String> addresses, List<String> onLinkRoutes) {
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("lab namespace names start with " + PREFIX + ": " + name);
        }
        String veth = hostVeth(name);
        ip("netns", "add", name);
        ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name);
        ip("link", "set", veth, "master", BRIDGE, "up");
        ip("-n", name, "link", "set", "lo", "up");
        for (String a : addresses) {
            ip("-n", name, "addr", "add", a, "dev", "eth0");
        }
        ip("-n", name, "link", "set", "eth0", "up");
        for (String r : onLinkRoutes) {
            Command.Result res = Command.of("ip", "-n", name, "route", "add", r, "dev", "eth0", "scope", "link").allowFailure().run();
            if (!res.ok() && !res.stderr().contains("File exists")) {
                throw new dev.vigil.lab.command.CommandException(Command.describe(res));
            }
        }
    }

    /**
     * Removes a namespace's name ({@code ip netns del}); the kernel destroys the namespace, and with
     * it the veth pair, as soon as no process uses it.
     */
    public static void unname(String name) {
        if (Files.exists(path(name))) {
            Command.of("ip", "netns", "del", name).allowFailure().run();
        }
    }

    /**
     * Deletes links in one {@code ip -batch} run. Deleting a pod's host-side veth removes its
     * peer too; doing it while the namespace is alive avoids waiting for the kernel's
     * asynchronous namespace cleanup.
     */
    public static void deleteLinks(List<String> links) {
        if (links.isEmpty()) {
            return;
        }
        StringBuilder batch = new StringBuilder();
        links.forEach(l -> batch.append("link del ").append(l).append('\n'));
        Command.of("ip", "-force", "-batch", "-").input(batch.toString()).allowFailure().run();
    }

    /** Lab namespaces present on the machine. */
    public static List<String> existing() {
        if (!Files.isDirectory(RUN_DIR)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(RUN_DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lab links (the bridge, host-side veths named by {@link #hostVeth}) present on the machine. */
    public static List<String> existingLinks() {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.equals(BRIDGE) || n.matches("vigil[0-9a-f]{10}")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes whose network namespace is {@code name} (as {@code ip netns pids} finds them). */
    public static List<Long> pids(String name) {
        Path ns = path(name);
        if (!Files.exists(ns)) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        Object inode;
        try {
            inode = Files.getAttribute(ns, "unix:ino");
        } catch (IOException e) {
            return List.of();
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (inode.equals(Files.getAttribute(p.resolve("ns/net"), "unix:ino"))) {
                        pids.add(Long.parseLong(n));
                    }
                } catch (IOException | SecurityException ignored) {
                    // the process exited while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /**
     * Runs {@code body} on a fresh platform thread that has joined the namespace with
     * {@code setns(2)}: sockets it opens live in that namespace (readiness checks, test clients).
     * The thread ends with the call, so no other code ever runs in the wrong namespace.
     */
    public static <T> T call(String name, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("vigil-netns-" + name).daemon().start(() -> {
            try {
                enter(name);
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.join();
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** libc's open, setns and close, bound once. */
    @SuppressWarnings("restricted")
    private static final class Libc {
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle OPEN;
        static final MethodHandle SETNS;
        static final MethodHandle CLOSE;

        static {
            Linker linker = Linker.nativeLinker();
            OPEN = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    Linker.Option.captureCallState("errno"));
            SETNS = linker.downcallHandle(linker.defaultLookup().find("setns").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.captureCallState("errno"));
            CLOSE = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        }
    }

    private static void enter(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment file = arena.allocateFrom(path(name).toString());
            int fd = (int) Libc.OPEN.invokeExact(state, file, O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("cannot open " + path(name) + " (errno " + (int) Libc.ERRNO.get(state, 0L)
                        + "): is the lab up? (sudo ./vigil lab up)");
            }
            int rc = (int) Libc.SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int err = (int) Libc.ERRNO.get(state, 0L);
            int ignored = (int) Libc.CLOSE.invokeExact(fd);
            if (rc != 0) {
                throw new IllegalStateException("setns(" + name + ") failed with errno " + err + ": joining a network namespace needs root");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("setns(" + name + ") failed", e);
        }
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        Command.of(argv).run();
    }
}
