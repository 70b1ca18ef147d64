package dev.vigil.agent.pods;

import dev.vigil.host.linux.Native;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lists the network interfaces of a network namespace with one rtnetlink {@code RTM_GETLINK} dump
 * (bound with FFM, no {@code ip} command): of this process's namespace with {@link #here()}, of
 * another one — named by a file such as {@code /proc/<pid>/ns/net} — with {@link #in(String)}, which
 * runs the dump on a fresh platform thread that first joins that namespace with {@code setns(2)}
 * (namespaces are per thread; the thread ends with the dump, so no other thread is affected).
 */
final class NetnsLinks {

    /** How long one dump may wait for the kernel's next datagram. */
    static final int RECEIVE_TIMEOUT_MILLIS = 1000;
    /** Receive buffer per datagram (the kernel fills at most a page or two per datagram of a dump). */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTM_GETLINK = 18;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SETNS = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setns").orElseThrow(() -> new UnsatisfiedLinkError("libc has no setns")),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private NetnsLinks() {
    }

    /** The interfaces of this process's network namespace; throws {@link PodNetworkException} when the dump fails. */
    static List<LinkDumpDecoder.Link> here() {
        Native sys = new Native();
        try {
            return dump(sys);
        } finally {
            sys.release();
        }
    }

    /**
     * The interfaces of the network namespace {@code nsFile} refers to ({@code /proc/<pid>/ns/net});
     * throws {@link PodNetworkException} when the namespace cannot be joined or the dump fails.
     */
    static List<LinkDumpDecoder.Link> in(String nsFile) {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("vigil-netns-links").unstarted(() -> {
            Native sys = new Native();
            try {
                join(sys, nsFile);
                result.set(dump(sys));
            } catch (RuntimeException e) {
                result.set(e);
            } finally {
                sys.release();
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PodNetworkException("interrupted while listing the interfaces of " + nsFile);
        }
        if (result.get() instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<LinkDumpDecoder.Link> links = (List<LinkDumpDecoder.Link>) result.get();
        return links;
    }

    private static void join(Native sys, String nsFile) {
        int fd = sys.open(nsFile, Native.O_RDONLY);
        if (fd < 0) {
            throw new PodNetworkException("cannot open " + nsFile + ": " + Native.errnoName(fd)
                    + (fd == -Native.ENOENT ? " (the process ended)" : "; the agent needs root (sudo)"));
        }
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int r = (int) SETNS.invokeExact(errno, fd, CLONE_NEWNET);
            if (r < 0) {
                int e = (int) ERRNO.get(errno, 0L);
                throw new PodNetworkException("setns(" + nsFile + ", CLONE_NEWNET): " + Native.errnoName(-e)
                        + "; joining a pod's network namespace needs CAP_SYS_ADMIN (run the agent as root)");
            }
        } catch (PodNetworkException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            sys.close(fd);
        }
    }

    private static List<LinkDumpDecoder.Link> dump(Native sys) {
        int fd = sys.socket(AF_NETLINK, SOCK_RAW | Native.O_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new PodNetworkException("socket(AF_NETLINK, NETLINK_ROUTE): " + Native.errnoName(fd));
        }
        try {
            MemorySegment request = sys.allocate(32);
            request.set(ValueLayout.JAVA_INT, 0, 32);
            request.set(ValueLayout.JAVA_SHORT, 4, (short) RTM_GETLINK);
            request.set(ValueLayout.JAVA_SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
            request.set(ValueLayout.JAVA_INT, 8, 1);
            long sent = sys.send(fd, request, 32, 0);
            if (sent != 32) {
                throw new PodNetworkException("sending RTM_GETLINK: " + (sent < 0 ? Native.errnoName((int) sent) : "short write"));
            }
            MemorySegment buffer = sys.allocate(RECEIVE_BUFFER);
            byte[] bytes = new byte[RECEIVE_BUFFER];
            LinkDumpDecoder decoder = new LinkDumpDecoder();
            while (decoder.state() == LinkDumpDecoder.State.READ_MESSAGE) {
                int ready = sys.pollIn(fd, RECEIVE_TIMEOUT_MILLIS);
                if (ready <= 0) {
                    throw new PodNetworkException("link dump: no answer from the kernel within " + RECEIVE_TIMEOUT_MILLIS
                            + " ms (" + (ready < 0 ? Native.errnoName(ready) : "timeout") + ")");
                }
                long n = sys.recv(fd, buffer, RECEIVE_BUFFER, 0);
                if (n < 0) {
                    if (n == -Native.EINTR) {
                        continue;
                    }
                    throw new PodNetworkException("receiving the link dump: " + Native.errnoName((int) n));
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) n);
                decoder.decode(bytes, (int) n);
            }
            if (decoder.state() == LinkDumpDecoder.State.BAD_MESSAGE) {
                throw new PodNetworkException("link dump: " + decoder.anomaly());
            }
            return decoder.links();
        } finally {
            sys.close(fd);
        }
    }
}
