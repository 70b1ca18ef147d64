package dev.vigil.host.syscall;

import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.host.file.SensitiveFiles;
import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.ProcessReader;
import dev.vigil.model.host.HostEvent;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Selected system calls, from a private {@link FtraceInstance} whose in-kernel filters let through
 * only what matters: connect, ptrace (attach, seize, traceme, pokes), init/finit_module,
 * memfd_create, unshare, setns, mount, socket(AF_PACKET), dup2/dup3 onto 0–2, symlink/link and
 * bpf(BPF_PROG_LOAD). What ftrace cannot filter is decided here: dup2/dup3 are reported only when
 * the new descriptor is an inet socket (a shell wired to the network), symlink/link only when the
 * target is a {@link SensitiveFiles sensitive path}.
 *
 * <p>connect: a tracepoint sees the sockaddr only as a user pointer, so the sensor records the fd at
 * {@code sys_enter_connect} (filtered in the kernel to the address lengths of sockaddr_in and
 * sockaddr_in6, which leaves most unix-socket connects in the kernel) and, at
 * {@code sys_exit_connect} (filtered to success or EINPROGRESS), borrows the socket with
 * {@code pidfd_getfd(2)} and asks it for its addresses ({@link SocketPeer}) — by then the peer is
 * set. Non-inet sockets are dropped. The same describes the socket a dup2/dup3 put on 0–2. A process
 * that ended before its exit line was read is not described (its connect is counted as filtered).
 * String arguments (paths, memfd names) are read from {@code /proc/<pid>/mem} after the call, best
 * effort.
 *
 * <p>The sensor's own process is filtered out. Lines that do not parse are counted
 * ({@link #malformed()}); records the kernel overwrote are counted from the instance's per-CPU stats
 * ({@link #lost()}). A shutdown hook closes the pipe and removes the instance on SIGTERM/SIGINT.
 */
public final class SyscallSensor implements AutoCloseable {

    /** Pending connects remembered (by thread id) between enter and exit. */
    public static final int PENDING_CONNECTS = 4096;
    /** Bytes read from the pipe at once. */
    public static final int READ_BUFFER = 64 * 1024;

    private static final int O_NONBLOCK = 0x800;

    private final Native sys = new Native();
    private final FtraceInstance instance;
    private final ProcessReader reader;
    private final SensitiveFiles sensitive;
    private final SocketPeer peers = new SocketPeer(sys);
    private final Consumer<HostEvent> sink;
    private final TraceLineParser parser = new TraceLineParser();
    private final TraceRecord record = new TraceRecord();
    private final int[] pendingTid = new int[PENDING_CONNECTS];
    private final int[] pendingFd = new int[PENDING_CONNECTS];
    private final MemorySegment buffer = sys.allocate(READ_BUFFER);
    private final byte[] bytes = new byte[READ_BUFFER + TraceLineParser.MAX_LINE];
    private final int self = Native.getpid();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong unresolved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    private final Thread hook = new Thread(this::close, "vigil-syscall-cleanup");
    private volatile boolean running;
    private volatile int fd = -1;
    private Thread thread;
    private int carried;
    private boolean skippingLongLine;

    /** Creates the ftrace instance {@code instanceName} and starts reading it. */
    public SyscallSensor(String instanceName, ContainerCatalog catalog, SensitiveFiles sensitive,
                         Consumer<HostEvent> sink) {
        this.instance = new FtraceInstance(instanceName, FtraceInstance.DEFAULT_BUFFER_KB);
        this.reader = new ProcessReader(sys, catalog);
        this.sensitive = sensitive;
        this.sink = sink;
        Runtime.getRuntime().addShutdownHook(hook);
        int f = sys.open(instance.pipe().toString(), Native.O_RDONLY | O_NONBLOCK);
        if (f < 0) {
            close();
            throw new IllegalStateException("cannot open " + instance.pipe() + ": " + Native.errnoName(f));
        }
        fd = f;
        running = true;
        thread = Thread.ofPlatform().name("vigil-syscall").daemon(true).start(this::loop);
    }

    /** The ftrace instance (for its directory and missing tracepoints). */
    public FtraceInstance instance() {
        return instance;
    }

    private void loop() {
        while (running) {
            int ready = sys.pollIn(fd, 200);
            if (ready <= 0) {
                continue;
            }
            long n = sys.read(fd, buffer, READ_BUFFER);
            if (n <= 0) {
                continue;
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, carried, (int) n);
            consume(carried + (int) n);
        }
    }

    /** Parses complete lines of {@code bytes[0, len)} and keeps an unfinished tail for the next read. */
    void consume(int len) {
        int start = 0;
        for (int i = 0; i < len; i++) {
            if (bytes[i] == '\n') {
                if (skippingLongLine) {
                    skippingLongLine = false;
                } else {
                    line(start, i);
                }
                start = i + 1;
            }
        }
        int rest = len - start;
        if (rest > TraceLineParser.MAX_LINE) {
            malformed.incrementAndGet();
            skippingLongLine = true;
            rest = 0;
        }
        System.arraycopy(bytes, start, bytes, 0, rest);
        carried = rest;
    }

    private void line(int from, int to) {
        if (to == from) {
            return;
        }
        if (!parser.parse(bytes, from, to, record)) {
            malformed.incrementAndGet();
            return;
        }
        events.incrementAndGet();
        if (record.tgid == self) {
            return;
        }
        try {
            handle(record, new String(bytes, record.commFrom, record.commTo - record.commFrom, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // One event that could not be described must not stop the sensor.
            failures.incrementAndGet();
            lastFailure = e.toString();
        }
    }

    private void handle(TraceRecord r, String comm) {
        int pid = r.tgid > 0 ? r.tgid : r.tid;
        String name = Syscalls.NAMES.get(r.syscall);
        HostEvent.Fd fdInfo = null;
        String args;
        switch (r.syscall) {
            case Syscalls.CONNECT -> {
                int slot = Math.floorMod(r.tid, PENDING_CONNECTS);
                if (!r.exit) {
                    pendingTid[slot] = r.tid;
                    pendingFd[slot] = (int) r.arg(Syscalls.ARG_FD, -1);
                    return;
                }
                if (pendingTid[slot] != r.tid) {
                    filtered.incrementAndGet();
                    return;
                }
                pendingTid[slot] = 0;
                int sock = pendingFd[slot];
                fdInfo = peers.describe(pid, sock);
                if (fdInfo == null) {
                    filtered.incrementAndGet();
                    return;
                }
                args = "fd=" + sock + " res=" + r.ret;
            }
            case Syscalls.DUP2, Syscalls.DUP3 -> {
                int newfd = (int) r.arg(Syscalls.ARG_NEWFD, -1);
                int oldfd = (int) r.arg(Syscalls.ARG_OLDFD, -1);
                fdInfo = peers.describe(pid, newfd);
                if (fdInfo == null) {
                    filtered.incrementAndGet();
                    return;
                }
                args = "oldfd=" + oldfd + " newfd=" + newfd + " socket=" + (peers.lastAccepted() ? "accepted" : "connected");
            }
            case Syscalls.SOCKET -> {
                long type = r.arg(Syscalls.ARG_TYPE, -1);
                args = "domain=AF_PACKET(17) type=" + (type & 0xf) + " proto=" + r.arg(Syscalls.ARG_PROTOCOL, 0);
                fdInfo = new HostEvent.Fd(-1, 'p', "packet", null, null, -1, null, -1, null);
            }
            case Syscalls.PTRACE -> {
                long req = r.arg(Syscalls.ARG_REQUEST, -1);
                args = "request=" + ptraceRequest(req) + " pid=" + r.arg(Syscalls.ARG_PID, -1);
            }
            case Syscalls.MEMFD_CREATE -> args = "name=" + UserMemory.string(pid, r.arg(Syscalls.ARG_UNAME, 0))
                    + " flags=" + r.arg(Syscalls.ARG_FLAGS, 0);
            case Syscalls.UNSHARE -> args = "flags=" + cloneFlags(r.arg(Syscalls.ARG_UNSHARE_FLAGS, 0));
            case Syscalls.SETNS -> {
                int nsfd = (int) r.arg(Syscalls.ARG_FD, -1);
                String target = reader.fs().link(pid, "fd/" + nsfd);
                args = "fd=" + nsfd + " nstype=" + cloneFlags(r.arg(Syscalls.ARG_FLAGS, 0));
                fdInfo = new HostEvent.Fd(nsfd, 'n', target, null, null, -1, null, -1, null);
            }
            case Syscalls.MOUNT -> args = "dev=" + UserMemory.string(pid, r.arg(Syscalls.ARG_DEV_NAME, 0))
                    + " dir=" + UserMemory.string(pid, r.arg(Syscalls.ARG_DIR_NAME, 0))
                    + " type=" + UserMemory.string(pid, r.arg(Syscalls.ARG_TYPE, 0));
            case Syscalls.SYMLINK, Syscalls.SYMLINKAT, Syscalls.LINK, Syscalls.LINKAT -> {
                String target = UserMemory.string(pid, r.arg(Syscalls.ARG_OLDNAME, 0));
                String link = UserMemory.string(pid, r.arg(Syscalls.ARG_NEWNAME, 0));
                if (target == null) {
                    // The process ended before its memory could be read: report it from containers only.
                    unresolved.incrementAndGet();
                    ProcessReader.Observed seen = reader.observeOrRecall(pid, comm);
                    if (seen.container() == null) {
                        return;
                    }
                    sink.accept(new HostEvent(name, reader.monoToEpoch(r.nanos), "syscall", seen.process(),
                            seen.container(), null, "target=? linkpath=? (process ended before its arguments were read)",
                            null, null, null));
                    return;
                }
                if (!sensitive.isSensitiveRead(target)) {
                    filtered.incrementAndGet();
                    return;
                }
                args = "target=" + target + " linkpath=" + link;
                fdInfo = HostEvent.Fd.file(-1, target, null);
            }
            case Syscalls.BPF -> args = "cmd=BPF_PROG_LOAD";
            default -> args = null;
        }
        ProcessReader.Observed seen = reader.observeOrRecall(pid, comm);
        sink.accept(new HostEvent(name, reader.monoToEpoch(r.nanos), "syscall", seen.process(), seen.container(), fdInfo, args,
                r.exit ? r.ret : null, null, null));
    }

    static String ptraceRequest(long request) {
        return switch ((int) request) {
            case 0 -> "PTRACE_TRACEME";
            case 4 -> "PTRACE_POKETEXT";
            case 5 -> "PTRACE_POKEDATA";
            case 16 -> "PTRACE_ATTACH";
            case 0x4206 -> "PTRACE_SEIZE";
            default -> Long.toString(request);
        };
    }

    static String cloneFlags(long flags) {
        StringBuilder b = new StringBuilder();
        long[] bits = {0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L, 0x20000000L, 0x40000000L,
                0x00000080L};
        String[] names = {"CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
                "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_NEWTIME"};
        long rest = flags;
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                b.append(b.isEmpty() ? "" : "|").append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0 || b.isEmpty()) {
            b.append(b.isEmpty() ? "" : "|").append("0x").append(Long.toHexString(rest));
        }
        return b.toString();
    }

    /** Trace lines received (parsed). */
    public long events() {
        return events.get();
    }

    /** Lines that could not be parsed. */
    public long malformed() {
        return malformed.get();
    }

    /** Calls received but not reported (non-inet connect or dup, link to a non-sensitive path). */
    public long filtered() {
        return filtered.get();
    }

    /** Calls whose arguments could not be resolved because the process had ended (reported only from containers). */
    public long unresolved() {
        return unresolved.get();
    }

    /** Events whose description failed unexpectedly (they were dropped), and the last such failure. */
    public long failures() {
        return failures.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Records the kernel overwrote before they were read. */
    public long lost() {
        return instance.lost();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int f = fd;
        fd = -1;
        if (f >= 0) {
            sys.close(f);
        }
        instance.close();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running or ran
            }
        }
    }
}
