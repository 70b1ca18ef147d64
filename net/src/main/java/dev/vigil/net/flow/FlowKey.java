package dev.vigil.net.flow;

import dev.vigil.model.net.IpText;
import dev.vigil.net.decode.Packet;

/**
 * Key arithmetic for flows: ICMP "ports" as Zeek defines them (type and the counterpart type of
 * request/reply pairs, else the code), a direction-independent hash, and address text (dotted quad,
 * RFC 5952 for IPv6).
 */
public final class FlowKey {

    private static final long V4_MAPPED = 0xffff_0000_0000L;

    private FlowKey() {
    }

    /** The flow's source "port": the TCP/UDP port, or the ICMP type. */
    static int srcPort(Packet p) {
        return p.srcPort;
    }

    /** The flow's destination "port": the TCP/UDP port, or for ICMP the counterpart type (request/reply) or the code. */
    static int dstPort(Packet p) {
        if (p.protocol == Packet.ICMP || p.protocol == Packet.ICMP6) {
            int counterpart = counterpart(p.protocol, p.srcPort);
            return counterpart >= 0 ? counterpart : p.dstPort;
        }
        return p.dstPort;
    }

    /** Zeek's ICMP{4,6}_counterpart: the paired type, or -1 for one-way messages. */
    public static int counterpart(int protocol, int type) {
        if (protocol == Packet.ICMP) {
            return switch (type) {
                case 8 -> 0;
                case 0 -> 8;
                case 9 -> 10;
                case 10 -> 9;
                case 13 -> 14;
                case 14 -> 13;
                case 15 -> 16;
                case 16 -> 15;
                case 17 -> 18;
                case 18 -> 17;
                default -> -1;
            };
        }
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 133 -> 134;
            case 134 -> 133;
            case 135 -> 136;
            case 136 -> 135;
            case 130 -> 131;
            case 131 -> 130;
            case 139 -> 140;
            case 140 -> 139;
            case 144 -> 145;
            case 145 -> 144;
            case 146 -> 147;
            case 147 -> 146;
            default -> -1;
        };
    }

    /** True for the reply half of an ICMP request/reply pair (its sender is the responder). */
    static boolean icmpReply(int protocol, int type) {
        return protocol == Packet.ICMP ? type == 0 || type == 9 || type == 14 || type == 16 || type == 18
                : type == 129 || type == 134 || type == 136 || type == 131 || type == 140 || type == 145
                || type == 147;
    }

    /** A hash equal for both directions of a flow (and so for every packet of it); the table uses its low bits. */
    public static int hash(Packet p) {
        long a = endpoint(p.srcHi, p.srcLo, srcPort(p));
        long b = endpoint(p.dstHi, p.dstLo, dstPort(p));
        long h = (a + b) ^ ((long) p.protocol << 48) ^ ((long) (p.vlan + 1) << 32) ^ (p.innerVlan + 1);
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static long endpoint(long hi, long lo, int port) {
        long h = hi * 0xC2B2AE3D27D4EB4FL ^ lo * 0x165667B19E3779F9L ^ port * 0x27D4EB2F165667C5L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 32);
    }

    /** Zeek's transport name: {@code tcp}, {@code udp}, {@code icmp} (also for ICMPv6). */
    public static String protoName(int protocol) {
        return switch (protocol) {
            case Packet.TCP -> "tcp";
            case Packet.UDP -> "udp";
            case Packet.ICMP, Packet.ICMP6 -> "icmp";
            default -> "unknown_transport";
        };
    }

    /** Canonical text of an address held as two longs (IPv4-mapped for IPv4). */
    public static String address(long hi, long lo) {
        return IpText.format(hi, lo);
    }

    /** True when the address (two longs) is IPv4. */
    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == (V4_MAPPED >>> 32);
    }
}
