package dev.vigil.host.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code /proc/<pid>/net/{tcp,tcp6,udp,udp6}}: the inet sockets of one network namespace with
 * their addresses, state and inode, the key that ties a socket to the process holding it
 * ({@code /proc/<pid>/fd/N → socket:[inode]}). Tolerant: lines that do not parse are skipped. At most
 * {@link #MAX_SOCKETS} sockets are read from one file.
 */
public final class SocketTable {

    /** Most sockets read from one table. */
    public static final int MAX_SOCKETS = 65_536;

    /** TCP_ESTABLISHED in the {@code st} column. */
    public static final int ESTABLISHED = 1;
    /** TCP_LISTEN in the {@code st} column. */
    public static final int LISTEN = 10;
    /** UDP sockets bound but unconnected show state 7 (TCP_CLOSE). */
    public static final int UDP_UNCONNECTED = 7;

    /**
     * One socket.
     *
     * @param proto      {@code tcp} or {@code udp}
     * @param ipv6       true for the {@code *6} tables
     * @param localIp    local address text
     * @param localPort  local port
     * @param remoteIp   remote address text
     * @param remotePort remote port (0 when unconnected)
     * @param state      the kernel's state number ({@link #LISTEN}, {@link #ESTABLISHED} …)
     * @param inode      socket inode
     */
    public record Socket(String proto, boolean ipv6, String localIp, int localPort, String remoteIp, int remotePort,
                         int state, long inode) {
    }

    /** Linux's default ephemeral port range ({@code net.ipv4.ip_local_port_range}). */
    public static final int EPHEMERAL_FIRST = 32768;
    public static final int EPHEMERAL_LAST = 60999;

    private SocketTable() {
    }

    /** True for a port in the default ephemeral range: the side of a connection that did not listen. */
    public static boolean ephemeral(int port) {
        return port >= EPHEMERAL_FIRST && port <= EPHEMERAL_LAST;
    }

    /** Parses one table; {@code file} is {@code tcp}, {@code tcp6}, {@code udp} or {@code udp6}. */
    public static List<Socket> parse(String content, String file) {
        List<Socket> out = new ArrayList<>();
        if (content == null) {
            return out;
        }
        String proto = file.startsWith("tcp") ? "tcp" : "udp";
        boolean v6 = file.endsWith("6");
        for (String line : content.split("\n")) {
            if (out.size() >= MAX_SOCKETS) {
                break;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue;
            }
            Socket s = socket(proto, v6, f);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Socket socket(String proto, boolean v6, String[] f) {
        try {
            int lc = f[1].indexOf(':');
            int rc = f[2].indexOf(':');
            if (lc < 0 || rc < 0) {
                return null;
            }
            String lip = address(f[1].substring(0, lc), v6);
            String rip = address(f[2].substring(0, rc), v6);
            if (lip == null || rip == null) {
                return null;
            }
            int lport = Integer.parseInt(f[1].substring(lc + 1), 16);
            int rport = Integer.parseInt(f[2].substring(rc + 1), 16);
            int state = Integer.parseInt(f[3], 16);
            long inode = Long.parseLong(f[9]);
            return new Socket(proto, v6, lip, lport, rip, rport, state, inode);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The kernel prints each 32-bit word of the address in host (little-endian) byte order. */
    static String address(String hex, boolean v6) {
        int words = v6 ? 4 : 1;
        if (hex.length() != words * 8) {
            return null;
        }
        byte[] b = new byte[words * 4];
        for (int w = 0; w < words; w++) {
            long word = Long.parseLong(hex.substring(w * 8, w * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) (word >>> (8 * i));
            }
        }
        try {
            String text = java.net.InetAddress.getByAddress(b).getHostAddress();
            if (v6 && text.startsWith("0:0:0:0:0:ffff:")) {
                // An IPv4 peer of a dual-stack socket.
                return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            return v6 ? canonicalIpv6(text) : text;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The RFC 5952 text of an IPv6 address Java printed in full ({@code 0:0:0:0:0:0:0:1} → {@code ::1}). */
    public static String canonicalIpv6(String full) {
        // java prints 0:0:0:0:0:0:0:1; use the RFC 5952 form ::1.
        String best = null;
        for (int len = 8; len >= 2 && best == null; len--) {
            String zeros = String.join(":", java.util.Collections.nCopies(len, "0"));
            String s = ":" + full + ":";
            int at = s.indexOf(":" + zeros + ":");
            if (at >= 0) {
                String r = s.substring(0, at) + "::" + s.substring(at + zeros.length() + 2);
                r = r.substring(r.startsWith(":::") ? 1 : r.startsWith("::") ? 0 : 1);
                r = r.endsWith(":::") ? r.substring(0, r.length() - 1) : r.endsWith("::") ? r : r.substring(0, r.length() - 1);
                best = r;
            }
        }
        return best != null ? best : full;
    }
}
