package dev.vigil.net.analysis;

import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.LinkType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;

/** Builds real wire-format frames (Ethernet, IPv4/IPv6, TCP/UDP/ICMP) for tests. */
public final class TestFrames {

    public static final int FIN = 1;
    public static final int SYN = 2;
    public static final int RST = 4;
    public static final int PSH = 8;
    public static final int ACK = 16;

    private TestFrames() {
    }

    public static byte[] ipv4(String src, String dst, int protocol, byte[] transport) {
        byte[] ip = new byte[20 + transport.length];
        ip[0] = 0x45;
        ip[2] = (byte) (ip.length >> 8);
        ip[3] = (byte) ip.length;
        ip[8] = 64;
        ip[9] = (byte) protocol;
        System.arraycopy(v4(src), 0, ip, 12, 4);
        System.arraycopy(v4(dst), 0, ip, 16, 4);
        System.arraycopy(transport, 0, ip, 20, transport.length);
        return ip;
    }

    public static byte[] tcp(int sport, int dport, int seq, int ack, int flags, byte[] payload) {
        return tcp(sport, dport, seq, ack, flags, 65535, payload);
    }

    public static byte[] tcp(int sport, int dport, int seq, int ack, int flags, int window, byte[] payload) {
        byte[] t = new byte[20 + payload.length];
        t[0] = (byte) (sport >> 8);
        t[1] = (byte) sport;
        t[2] = (byte) (dport >> 8);
        t[3] = (byte) dport;
        putInt(t, 4, seq);
        putInt(t, 8, ack);
        t[12] = 0x50;
        t[13] = (byte) flags;
        t[14] = (byte) (window >> 8);
        t[15] = (byte) window;
        System.arraycopy(payload, 0, t, 20, payload.length);
        return t;
    }

    public static byte[] udp(int sport, int dport, byte[] payload) {
        byte[] u = new byte[8 + payload.length];
        u[0] = (byte) (sport >> 8);
        u[1] = (byte) sport;
        u[2] = (byte) (dport >> 8);
        u[3] = (byte) dport;
        u[4] = (byte) (u.length >> 8);
        u[5] = (byte) u.length;
        System.arraycopy(payload, 0, u, 8, payload.length);
        return u;
    }

    public static byte[] icmp(int type, int code, byte[] payload) {
        byte[] i = new byte[8 + payload.length];
        i[0] = (byte) type;
        i[1] = (byte) code;
        System.arraycopy(payload, 0, i, 8, payload.length);
        return i;
    }

    /** Ethernet II around {@code ip}, with optional VLAN tags (outer first). */
    public static byte[] ethernet(byte[] ip, int... vlans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6});
        for (int i = 0; i < vlans.length; i++) {
            int tpid = i == 0 && vlans.length > 1 ? 0x88a8 : 0x8100;
            out.write(tpid >> 8);
            out.write(tpid);
            out.write(vlans[i] >> 8);
            out.write(vlans[i]);
        }
        int type = (ip[0] & 0xf0) == 0x60 ? 0x86dd : 0x0800;
        out.write(type >> 8);
        out.write(type);
        out.writeBytes(ip);
        return out.toByteArray();
    }

    /** An Ethernet ARP packet (RFC 826, Ethernet/IPv4): operation 1 request, 2 reply. */
    public static Frame arpFrame(int operation, String sender, String target, long tsMicros) {
        byte[] b = new byte[14 + 28];
        System.arraycopy(new byte[] {-1, -1, -1, -1, -1, -1, 0, 1, 2, 3, 4, 6, 0x08, 0x06}, 0, b, 0, 14);
        byte[] body = {0, 1, 0x08, 0x00, 6, 4, 0, (byte) operation};
        System.arraycopy(body, 0, b, 14, body.length);
        System.arraycopy(new byte[] {0, 1, 2, 3, 4, 6}, 0, b, 22, 6);
        System.arraycopy(v4(sender), 0, b, 28, 4);
        System.arraycopy(v4(target), 0, b, 38, 4);
        return frame(b, LinkType.ETHERNET, tsMicros);
    }

    public static Frame frame(byte[] bytes, int linkType, long tsMicros) {
        return new Frame().set(MemorySegment.ofArray(bytes), 0, bytes.length, bytes.length, tsMicros, linkType, 0);
    }

    /** An Ethernet/IPv4/TCP frame. */
    public static Frame tcpFrame(String src, int sport, String dst, int dport, int seq, int ack, int flags,
                                 byte[] payload, long tsMicros) {
        return frame(ethernet(ipv4(src, dst, 6, tcp(sport, dport, seq, ack, flags, payload))), LinkType.ETHERNET,
                tsMicros);
    }

    public static byte[] v4(String a) {
        String[] p = a.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]), (byte) Integer.parseInt(p[2]),
                (byte) Integer.parseInt(p[3])};
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }
}
