package dev.vigil.host.file;

import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcessReader;
import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.model.host.HostEvent;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * File events inside containers through one fanotify group (FAN_CLASS_NOTIF). For each container
 * {@link #watch watched} (by a pid inside it), the sensor marks:
 * <ul>
 *   <li>the container's root mount ({@code /proc/<pid>/root}) for FAN_CLOSE_WRITE — reported when the
 *       file is below a system directory — and FAN_OPEN_EXEC (executions, when enabled);</li>
 *   <li>each existing {@link SensitiveFiles sensitive file} (an inode mark, which also covers files on
 *       other mounts such as the service-account token) for FAN_OPEN_PERM, and each sensitive directory
 *       for FAN_OPEN_PERM of its children, in a second group of class FAN_CLASS_CONTENT: the reader waits
 *       at its open until the sensor has described it from {@code /proc} and allowed it (always), so
 *       even a {@code cat} that exits at once is named with its container. Kernels without permission
 *       events get FAN_OPEN marks in the first group instead.</li>
 * </ul>
 * Mount marks are used rather than filesystem marks because the creation events that would need
 * filesystem marks with FID reporting are covered by FAN_CLOSE_WRITE of the new file. The path comes
 * from the event's descriptor ({@code /proc/self/fd/N}); the process from {@code /proc} or, when it
 * ended, from what the process sensor last knew; and when that does not name a container, from the
 * device of the descriptor — each container's overlay is a filesystem of its own, recorded when it
 * is marked (a device seen in two containers, such as a tmpfs holding every pod's secrets, is not
 * used). Queue overflows (FAN_Q_OVERFLOW) are counted.
 * Closing the sensor closes the group, which removes every mark.
 *
 * <p>Limits: {@link #MAX_CONTAINERS} containers watched, {@link #MAX_PENDING_WATCHES} watch requests
 * queued; a sensitive file replaced by a new inode (a refreshed token) is marked again only when its
 * container is watched again.
 */
public final class FileSensor implements AutoCloseable {

    /** Most containers watched at once. */
    public static final int MAX_CONTAINERS = 4096;
    /** Watch requests queued for the sensor thread. */
    public static final int MAX_PENDING_WATCHES = 1024;
    /** Bytes read from the group at once. */
    public static final int READ_BUFFER = 64 * 1024;
    /**
     * Longest time an event of a process that already ended, and that the process sensor has not yet
     * placed in a container, waits for the process sensor to catch up (to have handled every process
     * event the kernel queued before the file event was read, {@link ContainerCatalog#processesCaughtUp()}):
     * a program exec'd into a container by the runtime that reads a file and exits at once
     * ({@code runc exec … cat token}) is otherwise reported as the runtime on the host, because its
     * exec and rename are still queued on the process sensor's thread. The wait holds no thread: later
     * events go on being read.
     */
    public static final long DEFER_NANOS = 200_000_000L;
    /** Events waiting at once for the process sensor; beyond, they are reported at once. */
    public static final int MAX_DEFERRED = 1024;

    private final Native sys = new Native();
    private final ProcessReader reader;
    private final SensitiveFiles sensitive;
    private final boolean execs;
    private final Consumer<HostEvent> sink;
    private final int group;
    private final MemorySegment buffer = sys.allocate(READ_BUFFER);
    private final MemorySegment link = sys.allocate(Native.MAX_PATH);
    private final byte[] linkBytes = new byte[Native.MAX_PATH];
    private final Map<String, Long> watched = new ConcurrentHashMap<>();
    private final Map<Long, String> containerOfDevice = new ConcurrentHashMap<>();
    /** Marks a device that belongs to more than one container. */
    private static final String SHARED = "";
    private final BlockingQueue<int[]> pending = new ArrayBlockingQueue<>(MAX_PENDING_WATCHES);
    private final Map<Integer, String> pendingIds = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong markFailures = new AtomicLong();
    private final AtomicLong droppedWatches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final java.util.ArrayDeque<Deferred> deferred = new java.util.ArrayDeque<>();
    private volatile String lastFailure;
    private final int self = Native.getpid();
    private volatile boolean running = true;
    private final Thread thread;
    /** Content-class group for sensitive reads (FAN_OPEN_PERM), or -1 when the kernel has none. */
    private final int permGroup;
    private final Native permSys;
    private final Thread permThread;

    /**
     * Opens the fanotify group and starts its thread.
     *
     * @param execs also report executions (FAN_OPEN_EXEC) in watched containers
     * @throws IllegalStateException naming the fix when fanotify is not available
     */
    public FileSensor(ContainerCatalog catalog, SensitiveFiles sensitive, boolean execs, Consumer<HostEvent> sink) {
        this.reader = new ProcessReader(sys, catalog);
        this.sensitive = sensitive;
        this.execs = execs;
        this.sink = sink;
        int g = sys.fanotifyInit(Fanotify.FAN_CLASS_NOTIF | Fanotify.FAN_CLOEXEC | Fanotify.FAN_NONBLOCK,
                Native.O_RDONLY | Native.O_LARGEFILE | Native.O_CLOEXEC);
        if (g < 0) {
            throw new IllegalStateException("fanotify_init failed: " + Native.errnoName(g)
                    + " — run as root (CAP_SYS_ADMIN) on a kernel with CONFIG_FANOTIFY=y");
        }
        this.group = g;
        int pg = sys.fanotifyInit(Fanotify.FAN_CLASS_CONTENT | Fanotify.FAN_CLOEXEC | Fanotify.FAN_NONBLOCK,
                Native.O_RDONLY | Native.O_LARGEFILE | Native.O_CLOEXEC);
        this.permGroup = pg < 0 ? -1 : pg;
        this.permSys = pg < 0 ? null : new Native();
        this.thread = Thread.ofPlatform().name("vigil-file").daemon(true).start(this::loop);
        this.permThread = pg < 0 ? null
                : Thread.ofPlatform().name("vigil-file-read").daemon(true).start(() -> readLoop(catalog));
    }

    /**
     * Asks the sensor to watch the container that {@code pid} runs in (once per container id); the
     * marks are placed on the sensor's thread. Returns false when the request queue is full.
     */
    public boolean watch(String containerId, int pid) {
        if (watched.containsKey(containerId) || pendingIds.containsValue(containerId)) {
            return true;
        }
        if (watched.size() >= MAX_CONTAINERS || !pending.offer(new int[] {pid})) {
            droppedWatches.incrementAndGet();
            return false;
        }
        pendingIds.put(pid, containerId);
        return true;
    }

    /** True once the container's marks are in place. */
    public boolean watching(String containerId) {
        return watched.containsKey(containerId);
    }

    private void placeMarks(int pid, String containerId) {
        String root = "/proc/" + pid + "/root";
        long mountMask = Fanotify.FAN_CLOSE_WRITE | (execs ? Fanotify.FAN_OPEN_EXEC : 0);
        int r = sys.fanotifyMark(group, Fanotify.FAN_MARK_ADD | Fanotify.FAN_MARK_MOUNT, mountMask, root);
        if (r < 0) {
            markFailures.incrementAndGet();
            return;
        }
        recordDevice(root, containerId);
        for (String target : sensitiveTargets(Path.of(root))) {
            long child = target.endsWith("/") ? Fanotify.FAN_EVENT_ON_CHILD : 0;
            boolean marked = permGroup >= 0
                    && sys.fanotifyMark(permGroup, Fanotify.FAN_MARK_ADD, Fanotify.FAN_OPEN_PERM | child, target) >= 0;
            if (!marked && sys.fanotifyMark(group, Fanotify.FAN_MARK_ADD, Fanotify.FAN_OPEN | child, target) < 0) {
                markFailures.incrementAndGet();
            } else {
                recordDevice(target, containerId);
            }
        }
        watched.put(containerId, (long) pid);
    }

    private void recordDevice(String path, String containerId) {
        try {
            Object dev = Files.getAttribute(Path.of(path), "unix:dev");
            if (dev instanceof Long d) {
                containerOfDevice.merge(d, containerId, (was, now) -> was.equals(now) ? was : SHARED);
            }
        } catch (IOException | RuntimeException e) {
            // without it, the container is taken from the process
        }
    }

    /** Existing files and directories under {@code root} that match the sensitive read patterns. */
    List<String> sensitiveTargets(Path root) {
        List<String> out = new ArrayList<>();
        for (String pattern : sensitive.reads()) {
            expand(root, pattern.substring(1), out);
        }
        return out;
    }

    private static void expand(Path base, String rest, List<String> out) {
        int slash = rest.indexOf('/');
        String part = slash < 0 ? rest : rest.substring(0, slash);
        String tail = slash < 0 ? null : rest.substring(slash + 1);
        if (part.isEmpty()) {
            if (Files.isDirectory(base)) {
                out.add(base + "/");
            }
            return;
        }
        List<Path> matches = new ArrayList<>();
        if (part.indexOf('*') >= 0) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(base, part)) {
                dir.forEach(matches::add);
            } catch (IOException | RuntimeException e) {
                return;
            }
        } else {
            matches.add(base.resolve(part));
        }
        for (Path m : matches) {
            if (tail == null) {
                if (Files.isRegularFile(m)) {
                    out.add(m.toString());
                }
            } else if (Files.isDirectory(m)) {
                expand(m, tail, out);
            }
        }
    }

    /** An event of a process that had ended, waiting for the process sensor until {@code due}. */
    private record Deferred(long read, long timeNanos, int pid, String path, String flags, String containerId) {
        boolean due(long now, long caughtUp) {
            return caughtUp >= read || now - read >= DEFER_NANOS;
        }
    }

    private void loop() {
        while (running) {
            int[] request;
            while ((request = pending.poll()) != null) {
                String id = pendingIds.remove(request[0]);
                if (id != null && !watched.containsKey(id)) {
                    placeMarks(request[0], id);
                }
            }
            while (!deferred.isEmpty() && deferred.peekFirst().due(System.nanoTime(), reader.catalog().processesCaughtUp())) {
                Deferred d = deferred.pollFirst();
                emit(d.timeNanos(), reader.observeOrRecall(d.pid(), null), d.path(), d.flags(), d.containerId());
            }
            int ready = sys.pollIn(group, deferred.isEmpty() ? 100 : 2);
            if (ready <= 0) {
                continue;
            }
            long n = sys.read(group, buffer, READ_BUFFER);
            if (n <= 0) {
                continue;
            }
            long at = 0;
            while (at + Fanotify.METADATA_LEN <= n) {
                int len = Fanotify.eventLength(buffer, at);
                if (len < Fanotify.METADATA_LEN || at + len > n) {
                    break;
                }
                int fd = Fanotify.fd(buffer, at);
                try {
                    handle(Fanotify.mask(buffer, at), fd, Fanotify.pid(buffer, at));
                } catch (RuntimeException e) {
                    // One event that could not be described must not stop the sensor.
                    failures.incrementAndGet();
                    lastFailure = e.toString();
                }
                at += len;
            }
        }
        while (!deferred.isEmpty()) {
            Deferred d = deferred.pollFirst();
            emit(d.timeNanos(), reader.observeOrRecall(d.pid(), null), d.path(), d.flags(), d.containerId());
        }
    }

    private void handle(long mask, int fd, int pid) {
        events.incrementAndGet();
        if ((mask & Fanotify.FAN_Q_OVERFLOW) != 0) {
            overflows.incrementAndGet();
        }
        if (fd < 0) {
            return;
        }
        String path;
        String containerId;
        try {
            path = path(fd);
            long dev = sys.fstatDevice(fd);
            containerId = dev < 0 ? null : containerOfDevice.get(dev);
            if (SHARED.equals(containerId)) {
                containerId = null;
            }
        } finally {
            sys.close(fd);
        }
        if (path == null || pid == self) {
            return;
        }
        String flags;
        if ((mask & Fanotify.FAN_OPEN_EXEC) != 0) {
            flags = "x";
        } else if ((mask & Fanotify.FAN_CLOSE_WRITE) != 0) {
            if (!sensitive.isSystemPath(path)) {
                return;
            }
            flags = "w";
        } else if ((mask & Fanotify.FAN_OPEN) != 0) {
            if (!sensitive.isSensitiveRead(path)) {
                return;
            }
            flags = "r";
        } else {
            return;
        }
        long time = System.currentTimeMillis() * 1_000_000L;
        if (flags.equals("x")) {
            emit(time, recallOrContainer(pid), path, flags, containerId);
            return;
        }
        ProcessReader.Observed seen = reader.observe(pid, null, null);
        if (seen == null) {
            ContainerCatalog.Recent known = reader.catalog().recentProcess(pid);
            if ((known == null || known.container() == null) && containerId == null && deferred.size() < MAX_DEFERRED) {
                deferred.addLast(new Deferred(System.nanoTime(), time, pid, path, flags, null));
                return;
            }
            seen = reader.observeOrRecall(pid, null);
        }
        emit(time, seen, path, flags, containerId);
    }

    private void emit(long timeNanos, ProcessReader.Observed seen, String path, String flags, String containerId) {
        HostEvent.Container container = seen.container();
        if (container == null && containerId != null) {
            container = reader.catalog().container(new dev.vigil.host.container.CgroupContainer.Ref(containerId, null, null));
        }
        sink.accept(new HostEvent("open", timeNanos, "file", seen.process(), container, HostEvent.Fd.file(-1, path, flags),
                null, null, null, null));
    }

    /**
     * Sensitive reads through the content-class group: the reader is held at its {@code open} until
     * answered, so it is described from {@code /proc} while it certainly still runs — a {@code cat} of
     * a token that exits at once is otherwise gone before it can be read — and then always allowed
     * (the answer is written even when describing fails).
     */
    private void readLoop(ContainerCatalog catalog) {
        ProcessReader permReader = new ProcessReader(permSys, catalog);
        MemorySegment buf = permSys.allocate(READ_BUFFER);
        MemorySegment response = permSys.allocate(Fanotify.RESPONSE_LEN);
        MemorySegment permLink = permSys.allocate(Native.MAX_PATH);
        byte[] permLinkBytes = new byte[Native.MAX_PATH];
        while (running) {
            if (permSys.pollIn(permGroup, 100) <= 0) {
                continue;
            }
            long n = permSys.read(permGroup, buf, READ_BUFFER);
            long at = 0;
            while (n > 0 && at + Fanotify.METADATA_LEN <= n) {
                int len = Fanotify.eventLength(buf, at);
                if (len < Fanotify.METADATA_LEN || at + len > n) {
                    break;
                }
                int fd = Fanotify.fd(buf, at);
                int pid = Fanotify.pid(buf, at);
                try {
                    events.incrementAndGet();
                    if (fd >= 0 && pid != self) {
                        long r = permSys.readlink("/proc/self/fd/" + fd, permLink);
                        String path = r < 0 ? null : text(permLink, permLinkBytes, (int) r);
                        if (path != null && sensitive.isSensitiveRead(path)) {
                            emit(System.currentTimeMillis() * 1_000_000L, permReader.observeOrRecall(pid, null), path, "r",
                                    null);
                        }
                    }
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    lastFailure = e.toString();
                } finally {
                    if (fd >= 0) {
                        response.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, fd);
                        response.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, Fanotify.FAN_ALLOW);
                        permSys.write(permGroup, response, Fanotify.RESPONSE_LEN);
                        permSys.close(fd);
                    }
                }
                at += len;
            }
        }
    }

    private static String text(MemorySegment from, byte[] into, int n) {
        MemorySegment.copy(from, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, into, 0, n);
        return new String(into, 0, n, StandardCharsets.UTF_8);
    }

    /** For executions: the process as last known (the exec is reported in full by the process sensor). */
    private ProcessReader.Observed recallOrContainer(int pid) {
        var known = reader.catalog().recentProcess(pid);
        HostEvent.Container c = known != null && known.container() != null ? known.container() : reader.container(pid);
        HostEvent.Process p = known != null ? known.process()
                : HostEvent.Process.minimal(pid, -1, null, List.of(), new long[0]);
        return new ProcessReader.Observed(p, c);
    }

    private String path(int fd) {
        String proc = "/proc/self/fd/" + fd;
        long n = sys.readlink(proc, link);
        if (n < 0) {
            return null;
        }
        return text(link, linkBytes, (int) n);
    }

    public long events() {
        return events.get();
    }

    /** Times the kernel's event queue overflowed (events were lost). */
    public long overflows() {
        return overflows.get();
    }

    /** Marks the kernel refused. */
    public long markFailures() {
        return markFailures.get();
    }

    /** Events whose handling failed unexpectedly (they were dropped), and the last such failure. */
    public long failures() {
        return failures.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Watch requests dropped (queue full or too many containers). */
    public long droppedWatches() {
        return droppedWatches.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
            if (permThread != null) {
                permThread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sys.close(group);
        if (permGroup >= 0) {
            // Closing the group allows every open still waiting for an answer.
            sys.close(permGroup);
        }
    }
}
