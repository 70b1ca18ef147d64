package dev.vigil.host.proc;

import dev.vigil.host.linux.Native;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A netlink socket subscribed to the kernel's process events connector ({@code NETLINK_CONNECTOR},
 * group {@code CN_IDX_PROC}). The receive buffer is forced to {@link #DEFAULT_RECEIVE_BUFFER} bytes
 * (SO_RCVBUFFORCE) so that exec storms are absorbed; when it still overflows, {@link #receive}
 * answers {@code -ENOBUFS} and the caller counts the loss and resynchronises from {@code /proc}.
 * Needs root (CAP_NET_ADMIN).
 */
public final class ProcConnector implements AutoCloseable {

    /** Default socket receive buffer, bytes. */
    public static final int DEFAULT_RECEIVE_BUFFER = 32 * 1024 * 1024;
    /** Size of one receive: many events fit, as each is at most a few dozen bytes. */
    public static final int DATAGRAM_BUFFER = 64 * 1024;

    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_CONNECTOR = 11;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUFFORCE = 33;
    static final int MSG_DONTWAIT = 0x40;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_CN_MCAST_IGNORE = 2;
    static final int NLMSG_DONE = 3;

    private final Native sys;
    private final MemorySegment buffer;
    private final int fd;

    /**
     * Opens and subscribes.
     *
     * @throws IllegalStateException naming the fix when the socket cannot be opened or subscribed
     */
    public ProcConnector(Native sys, int receiveBuffer) {
        this.sys = sys;
        this.buffer = sys.allocate(DATAGRAM_BUFFER);
        int s = sys.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
        if (s < 0) {
            throw new IllegalStateException("proc connector: socket(AF_NETLINK, NETLINK_CONNECTOR) failed: "
                    + Native.errnoName(s) + " — run as root (CAP_NET_ADMIN) on a kernel with CONFIG_PROC_EVENTS=y");
        }
        this.fd = s;
        MemorySegment opt = sys.allocate(4);
        opt.set(ValueLayout.JAVA_INT, 0, receiveBuffer);
        int r = sys.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, opt, 4);
        if (r < 0) {
            sys.close(fd);
            throw new IllegalStateException("proc connector: SO_RCVBUFFORCE " + receiveBuffer + " failed: "
                    + Native.errnoName(r) + " — run as root (CAP_NET_ADMIN)");
        }
        MemorySegment addr = sys.allocate(12);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
        addr.set(ValueLayout.JAVA_INT, 4, 0);
        addr.set(ValueLayout.JAVA_INT, 8, ProcEventDecoder.CN_IDX_PROC);
        r = sys.bind(fd, addr, 12);
        if (r < 0) {
            sys.close(fd);
            throw new IllegalStateException("proc connector: bind to CN_IDX_PROC failed: " + Native.errnoName(r)
                    + " — run as root (CAP_NET_ADMIN)");
        }
        r = control(PROC_CN_MCAST_LISTEN);
        if (r < 0) {
            sys.close(fd);
            throw new IllegalStateException("proc connector: subscribe failed: " + Native.errnoName(r));
        }
    }

    private int control(int op) {
        int len = ProcEventDecoder.NLMSG_HDRLEN + ProcEventDecoder.CN_MSG_LEN + 4;
        MemorySegment m = sys.allocate(len);
        m.set(ValueLayout.JAVA_INT, 0, len);
        m.set(ValueLayout.JAVA_SHORT, 4, (short) NLMSG_DONE);
        m.set(ValueLayout.JAVA_INT, 12, Native.getpid());
        int cn = ProcEventDecoder.NLMSG_HDRLEN;
        m.set(ValueLayout.JAVA_INT, cn, ProcEventDecoder.CN_IDX_PROC);
        m.set(ValueLayout.JAVA_INT, cn + 4, ProcEventDecoder.CN_VAL_PROC);
        m.set(ValueLayout.JAVA_SHORT, cn + 16, (short) 4);
        m.set(ValueLayout.JAVA_INT, cn + ProcEventDecoder.CN_MSG_LEN, op);
        long r = sys.send(fd, m, len, 0);
        return (int) Math.min(r, 0);
    }

    /**
     * Receives one datagram into {@link #buffer()} without blocking: its length, {@code -EAGAIN} when
     * nothing is queued, {@code -ENOBUFS} when events were lost since the last receive.
     */
    public int receive() {
        return (int) sys.recv(fd, buffer, DATAGRAM_BUFFER, MSG_DONTWAIT);
    }

    /** Waits up to {@code millis} for a datagram: 1 ready, 0 timeout, -errno. */
    public int await(int millis) {
        return sys.pollIn(fd, millis);
    }

    /** The datagram of the last {@link #receive()}. */
    public MemorySegment buffer() {
        return buffer;
    }

    @Override
    public void close() {
        control(PROC_CN_MCAST_IGNORE);
        sys.close(fd);
    }
}
