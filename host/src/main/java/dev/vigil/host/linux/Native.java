package dev.vigil.host.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The Linux system calls the host sensors use, bound with FFM to glibc. Every call returns what the
 * kernel returns, with failures as {@code -errno} (like a raw system call) instead of exceptions, so
 * that hot paths branch on a code and allocate nothing.
 *
 * <p>One instance per thread: it owns the errno capture area and a scratch buffer for C strings.
 * Paths longer than {@link #MAX_PATH} bytes are refused with {@code -ENAMETOOLONG}.
 */
public final class Native {

    /** Longest C string (path) an instance converts, including the terminating NUL. */
    public static final int MAX_PATH = 4096;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;
    public static final int ENAMETOOLONG = 36;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_LARGEFILE = 0x8000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_PATH = 0x200000;
    public static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(L, I, P, L, I));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(L, I, P, L, I));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(L, I, P, L));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(L, I, P, L));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(I, P, I, I),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READLINK = bind("readlink", FunctionDescriptor.of(L, P, P, L));
    private static final MethodHandle OPENAT = bind("openat", FunctionDescriptor.of(I, I, P, I, I),
            Linker.Option.firstVariadicArg(3));
    private static final MethodHandle READLINKAT = bind("readlinkat", FunctionDescriptor.of(L, I, P, P, L));
    private static final MethodHandle ACCESS = bind("access", FunctionDescriptor.of(I, P, I));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(I, P, L, I));
    private static final MethodHandle FANOTIFY_INIT = bind("fanotify_init", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle FANOTIFY_MARK = bind("fanotify_mark", FunctionDescriptor.of(I, I, I, L, I, P));
    private static final MethodHandle PIDFD_OPEN = bind("pidfd_open", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle PIDFD_SEND_SIGNAL = bind("pidfd_send_signal", FunctionDescriptor.of(I, I, I, P, I));
    private static final MethodHandle PIDFD_GETFD = bind("pidfd_getfd", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", FunctionDescriptor.of(I, I, I, I, P, P));
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(I, I, P, P));
    private static final MethodHandle GETPEERNAME = bind("getpeername", FunctionDescriptor.of(I, I, P, P));
    private static final MethodHandle FSTAT = bind("fstat", FunctionDescriptor.of(I, I, P));
    private static final MethodHandle MOUNT = bind("mount", FunctionDescriptor.of(I, P, P, P, L, P));
    private static final MethodHandle CLOCK_GETTIME = bind("clock_gettime", FunctionDescriptor.of(I, I, P));
    private static final MethodHandle GETPID = LINKER.downcallHandle(
            LIBC.find("getpid").orElseThrow(), FunctionDescriptor.of(I));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(
            LIBC.find("geteuid").orElseThrow(), FunctionDescriptor.of(I));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = arena.allocate(CAPTURE);
    private final MemorySegment path = arena.allocate(MAX_PATH);
    private final MemorySegment path2 = arena.allocate(MAX_PATH);
    private final MemorySegment pollfd = arena.allocate(8);
    private final MemorySegment timespec = arena.allocate(16, 8);
    private final MemorySegment sockOpt = arena.allocate(4, 4);
    private final MemorySegment sockLen = arena.allocate(4, 4);
    private final MemorySegment statBuf = arena.allocate(256, 8);

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO_OPT;
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol = LIBC.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name + ": glibc 2.36 or newer is required"));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** The calling process id (tgid). */
    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The calling process's effective user id (0 for root). */
    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Memory owned by this instance (valid until the JVM exits); for buffers that live as long as a sensor. */
    public MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 8);
    }

    private int errno() {
        return (int) ERRNO.get(errno, 0L);
    }

    private int ret(int r) {
        return r < 0 ? -errno() : r;
    }

    private long ret(long r) {
        return r < 0 ? -errno() : r;
    }

    /** Writes {@code s} as a NUL-terminated UTF-8 string into {@code into}; false when too long. */
    static boolean cstring(MemorySegment into, CharSequence s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            if (n + 1 > into.byteSize()) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                into.set(ValueLayout.JAVA_BYTE, i, (byte) s.charAt(i));
            }
            into.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
            return true;
        }
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        if (b.length + 1 > into.byteSize()) {
            return false;
        }
        MemorySegment.copy(b, 0, into, ValueLayout.JAVA_BYTE, 0, b.length);
        into.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return true;
    }

    public int socket(int domain, int type, int protocol) {
        try {
            return ret((int) SOCKET.invokeExact(errno, domain, type, protocol));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int bind(int fd, MemorySegment addr, int len) {
        try {
            return ret((int) BIND.invokeExact(errno, fd, addr, len));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try {
            return ret((int) SETSOCKOPT.invokeExact(errno, fd, level, name, value, len));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long send(int fd, MemorySegment buf, long len, int flags) {
        try {
            return ret((long) SEND.invokeExact(errno, fd, buf, len, flags));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long recv(int fd, MemorySegment buf, long len, int flags) {
        try {
            return ret((long) RECV.invokeExact(errno, fd, buf, len, flags));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long read(int fd, MemorySegment buf, long len) {
        try {
            return ret((long) READ.invokeExact(errno, fd, buf, len));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long write(int fd, MemorySegment buf, long len) {
        try {
            return ret((long) WRITE.invokeExact(errno, fd, buf, len));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int close(int fd) {
        try {
            return ret((int) CLOSE.invokeExact(errno, fd));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** open(2) of a path given as text. */
    public int open(CharSequence file, int flags) {
        if (!cstring(path, file)) {
            return -ENAMETOOLONG;
        }
        return open(path, flags);
    }

    /** open(2) of a NUL-terminated path already in native memory. */
    public int open(MemorySegment cpath, int flags) {
        try {
            return ret((int) OPEN.invokeExact(errno, cpath, flags | O_CLOEXEC, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** openat(2) of a NUL-terminated path relative to directory {@code dirfd}. */
    public int openat(int dirfd, MemorySegment cpath, int flags) {
        try {
            return ret((int) OPENAT.invokeExact(errno, dirfd, cpath, flags | O_CLOEXEC, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** readlinkat(2) relative to directory {@code dirfd}; the length or -errno. */
    public long readlinkat(int dirfd, MemorySegment cpath, MemorySegment buf) {
        try {
            return ret((long) READLINKAT.invokeExact(errno, dirfd, cpath, buf, buf.byteSize()));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** readlink(2) into {@code buf}; returns the length (not NUL-terminated) or -errno. */
    public long readlink(CharSequence link, MemorySegment buf) {
        if (!cstring(path, link)) {
            return -ENAMETOOLONG;
        }
        return readlink(path, buf);
    }

    public long readlink(MemorySegment cpath, MemorySegment buf) {
        try {
            return ret((long) READLINK.invokeExact(errno, cpath, buf, buf.byteSize()));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** access(2) with F_OK: 0 when {@code file} exists, else -errno. */
    public int exists(CharSequence file) {
        if (!cstring(path, file)) {
            return -ENAMETOOLONG;
        }
        try {
            return ret((int) ACCESS.invokeExact(errno, path, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to be readable: 1 readable, 0 timeout, -errno. */
    public int pollIn(int fd, int timeoutMillis) {
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        try {
            return ret((int) POLL.invokeExact(errno, pollfd, 1L, timeoutMillis));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int fanotifyInit(int flags, int eventFlags) {
        try {
            return ret((int) FANOTIFY_INIT.invokeExact(errno, flags, eventFlags));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** fanotify_mark(2) relative to the current directory ({@code AT_FDCWD}). */
    public int fanotifyMark(int fd, int flags, long mask, CharSequence file) {
        if (!cstring(path, file)) {
            return -ENAMETOOLONG;
        }
        try {
            return ret((int) FANOTIFY_MARK.invokeExact(errno, fd, flags, mask, -100, path));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int pidfdOpen(int pid) {
        try {
            return ret((int) PIDFD_OPEN.invokeExact(errno, pid, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public int pidfdSendSignal(int pidfd, int signal) {
        try {
            return ret((int) PIDFD_SEND_SIGNAL.invokeExact(errno, pidfd, signal, MemorySegment.NULL, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** pidfd_getfd(2): a duplicate, in this process, of descriptor {@code fd} of the pidfd's process. */
    public int pidfdGetfd(int pidfd, int fd) {
        try {
            return ret((int) PIDFD_GETFD.invokeExact(errno, pidfd, fd, 0));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** getsockopt(2) of an int option; the value or -errno. */
    public int getsockoptInt(int fd, int level, int name) {
        sockLen.set(ValueLayout.JAVA_INT, 0, 4);
        try {
            int r = ret((int) GETSOCKOPT.invokeExact(errno, fd, level, name, sockOpt, sockLen));
            return r < 0 ? r : sockOpt.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** getsockname(2) ({@code peer} false) or getpeername(2) into {@code addr}; the address length or -errno. */
    public int socketAddress(int fd, boolean peer, MemorySegment addr) {
        sockLen.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
        try {
            int r = ret(peer ? (int) GETPEERNAME.invokeExact(errno, fd, addr, sockLen)
                    : (int) GETSOCKNAME.invokeExact(errno, fd, addr, sockLen));
            return r < 0 ? r : sockLen.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The device number ({@code st_dev}) of an open file, or -errno. */
    public long fstatDevice(int fd) {
        try {
            int r = ret((int) FSTAT.invokeExact(errno, fd, statBuf));
            return r < 0 ? r : statBuf.get(ValueLayout.JAVA_LONG, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** mount(2) without data. */
    public int mount(String source, String target, String fstype) {
        if (!cstring(path, target) || !cstring(path2, fstype)) {
            return -ENAMETOOLONG;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocateFrom(source);
            return ret((int) MOUNT.invokeExact(errno, src, path, path2, 0L, MemorySegment.NULL));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_BOOTTIME = 7;

    /** clock_gettime(2) in nanoseconds. */
    public long clockNanos(int clock) {
        try {
            int r = (int) CLOCK_GETTIME.invokeExact(errno, clock, timespec);
            if (r < 0) {
                return -errno();
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
    }

    /** The text of an errno value, e.g. {@code ENOENT (2)}, for messages. */
    public static String errnoName(int errnoValue) {
        int e = Math.abs(errnoValue);
        String name = switch (e) {
            case 1 -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case 9 -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 19 -> "ENODEV";
            case 20 -> "ENOTDIR";
            case EINVAL -> "EINVAL";
            case 24 -> "EMFILE";
            case 38 -> "ENOSYS";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case 93 -> "EPROTONOSUPPORT";
            case 95 -> "EOPNOTSUPP";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno";
        };
        return name + " (" + e + ")";
    }

    /** Frees the native memory; the instance must not be used afterwards. */
    public void release() {
        arena.close();
    }
}
