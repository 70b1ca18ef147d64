package dev.vigil.host.syscall;

import dev.vigil.host.linux.Native;
import dev.vigil.host.proc.SocketTable;
import dev.vigil.model.host.HostEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Describes another process's socket by borrowing it: {@code pidfd_getfd(2)} duplicates the
 * descriptor into the sensor, where {@code SO_DOMAIN}, {@code SO_PROTOCOL}, {@code getsockname(2)}
 * and {@code getpeername(2)} answer in a few cheap system calls — no parsing of
 * {@code /proc/<pid>/net/*} tables, and no confusion between namespaces since the socket itself is
 * asked. Only inet sockets (AF_INET, AF_INET6) are described. One per thread.
 */
final class SocketPeer {

    private static final int SOL_SOCKET = 1;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private final Native sys;
    private final MemorySegment local;
    private final MemorySegment peer;
    private boolean accepted;

    SocketPeer(Native sys) {
        this.sys = sys;
        this.local = sys.allocate(128);
        this.peer = sys.allocate(128);
    }

    /**
     * The inet socket {@code fd} of {@code pid}, or null when it is not one (or the process ended).
     * With a peer, the local end is the client ({@code fd.cip}) — as for connect and a shell wired to a
     * connection it made — unless the local port is not ephemeral and either the peer's is or a
     * listener of the process's namespace holds the local port: the marks of an accepted connection
     * (a bind shell, a CGI child's client). Reverse shells connect from ephemeral ports, so the
     * listener lookup (a read of /proc) never delays them. A socket without a peer is described by its
     * local end.
     */
    HostEvent.Fd describe(int pid, int fd) {
        accepted = false;
        if (fd < 0) {
            return null;
        }
        int pidfd = sys.pidfdOpen(pid);
        if (pidfd < 0) {
            return null;
        }
        int copy = -1;
        try {
            copy = sys.pidfdGetfd(pidfd, fd);
            if (copy < 0) {
                return null;
            }
            int domain = sys.getsockoptInt(copy, SOL_SOCKET, SO_DOMAIN);
            if (domain != AF_INET && domain != AF_INET6) {
                return null;
            }
            int proto = sys.getsockoptInt(copy, SOL_SOCKET, SO_PROTOCOL);
            String l4 = proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : null;
            if (sys.socketAddress(copy, false, local) < 0) {
                return null;
            }
            boolean hasPeer = sys.socketAddress(copy, true, peer) >= 0;
            String lip = ip(local);
            int lport = port(local);
            char typechar = domain == AF_INET6 ? '6' : '4';
            if (!hasPeer) {
                // A client that already hung up leaves its accepted socket without a peer, on the service's
                // port (a CGI child of busybox httpd dup'ing it onto stdio, for instance). Not /proc: the
                // child has often ended by then. A shell on a connection without a peer talks to no one.
                accepted = proto == IPPROTO_TCP && !SocketTable.ephemeral(lport);
                return new HostEvent.Fd(fd, typechar, lip + ":" + lport, l4, null, -1, lip, lport, null);
            }
            String pip = ip(peer);
            int pport = port(peer);
            if (!SocketTable.ephemeral(lport) && (SocketTable.ephemeral(pport) || proto == IPPROTO_TCP && listening(pid, lport))) {
                accepted = true;
                return new HostEvent.Fd(fd, typechar, pip + ":" + pport + "->" + lip + ":" + lport, l4, pip, pport, lip,
                        lport, null);
            }
            return new HostEvent.Fd(fd, typechar, lip + ":" + lport + "->" + pip + ":" + pport, l4, lip, lport, pip,
                    pport, null);
        } finally {
            if (copy >= 0) {
                sys.close(copy);
            }
            sys.close(pidfd);
        }
    }

    /**
     * Whether {@code pid}'s network namespace has a TCP listener on {@code port}: a connected socket
     * on a listener's port is one the listener accepted, whatever port the client used. Both tables:
     * a dual-stack listener ({@code ::}) accepts IPv4 clients too.
     */
    static boolean listening(int pid, int port) {
        for (String file : new String[] {"tcp", "tcp6"}) {
            try {
                String table = Files.readString(Path.of("/proc/" + pid + "/net/" + file));
                for (SocketTable.Socket s : SocketTable.parse(table, file)) {
                    if (s.state() == SocketTable.LISTEN && s.localPort() == port) {
                        return true;
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the process ended, or its namespace has no such table
            }
        }
        return false;
    }

    /**
     * Whether the socket last described is the server end of a connection (an accepted one: its own
     * port is not ephemeral and its peer's is), rather than one the process opened.
     */
    boolean lastAccepted() {
        return accepted;
    }

    private static int port(MemorySegment sa) {
        return ((sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8) | (sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
    }

    private static String ip(MemorySegment sa) {
        int family = sa.get(ValueLayout.JAVA_SHORT, 0);
        byte[] b = family == AF_INET6 ? new byte[16] : new byte[4];
        MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, family == AF_INET6 ? 8 : 4, b, 0, b.length);
        try {
            if (family == AF_INET6 && isV4Mapped(b)) {
                return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            String text = InetAddress.getByAddress(b).getHostAddress();
            return family == AF_INET6 ? SocketTable.canonicalIpv6(text) : text;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
