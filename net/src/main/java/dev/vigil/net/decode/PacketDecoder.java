package dev.vigil.net.decode;

import dev.vigil.net.ip.FragmentReassembler;
import dev.vigil.net.pcap.Frame;
import dev.vigil.net.pcap.LinkType;
import java.lang.foreign.MemorySegment;

/**
 * Decodes a frame's link, VLAN, IP and transport headers into a reused {@link Packet} without copying
 * or allocating. Link types: Ethernet (802.1Q/802.1ad tags), raw IP, BSD NULL/LOOP (either byte order),
 * Linux SLL and SLL2. IPv4 and IPv6 with extension headers (hop-by-hop, routing, fragment, destination
 * options, AH, mobility); fragments are reassembled by a {@link FragmentReassembler}.
 *
 * <p>PPPoE session frames (ethertype 0x8864, RFC 2516 section 5.2, also inside VLAN tags) are
 * unwrapped to the IPv4 or IPv6 datagram they carry (PPP protocol 0x0021 or 0x0057, in full or
 * compressed to one byte as RFC 1661 section 6.5 allows); the PPPoE length field bounds the datagram,
 * so Ethernet padding is not taken for payload. Discovery frames and PPP control protocols (LCP,
 * IPCP …) are not IP and yield {@link #OTHER}.
 *
 * <p>Malformed headers are counted as {@link Anomaly anomalies} and reported through the return
 * code, never thrown. Limits: {@link #MAX_VLAN_TAGS} tags, {@link #MAX_EXTENSION_HEADERS} IPv6
 * extension headers. Headers are read from a copy of the frame's first {@link #HEADER_BYTES} bytes
 * (extended to the captured length when headers run further). Not thread-safe: one decoder per
 * capture source.
 */
public final class PacketDecoder {

    /** VLAN tags followed per frame. */
    public static final int MAX_VLAN_TAGS = 4;
    /** IPv6 extension headers followed per packet. */
    public static final int MAX_EXTENSION_HEADERS = 8;

    /** Result: a TCP, UDP or ICMP packet is ready in the {@link Packet}. */
    public static final int DECODED = 0;
    /** Result: not IP, or IP carrying a transport Vigil does not track; nothing to do. */
    public static final int OTHER = 1;
    /** Result: an IP fragment was stored for reassembly. */
    public static final int HELD = 2;
    /** Result: malformed; {@link #lastAnomaly()} says why. */
    public static final int MALFORMED = 3;
    /** An IPv4-over-Ethernet ARP packet: {@link Packet#arpOperation}, sender and target addresses are set. */
    public static final int ARP = 4;


    private static final long V4_MAPPED = 0xffff_0000_0000L;

    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** PPPoE header (version/type, code, session id, length) plus the full two-byte PPP protocol. */
    private static final int PPPOE_HEADER = 8;
    private static final int PPPOE_VERSION_TYPE = 0x11;
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;

    /** Frame bytes copied for header parsing at once (more only when headers run further). */
    public static final int HEADER_BYTES = 256;

    private final FragmentReassembler fragments = new FragmentReassembler();
    /**
     * Headers are parsed from a copy of the frame's first bytes: plain array reads cost a fraction of
     * reading each field through the memory segment, and the copy is one bulk move.
     */
    private byte[] scratch = new byte[HEADER_BYTES];
    /** {@link #scratch} as a segment: a copy between segments skips the reflective array checks of a copy into an array. */
    private MemorySegment scratchSegment = MemorySegment.ofArray(scratch);
    private byte[] view = scratch;
    private long viewBase;
    private int viewLength;
    private int viewLimit;
    private MemorySegment viewSource;
    private final long[] anomalies = new long[Anomaly.values().length];
    private Anomaly last;

    /** Decodes {@code frame} into {@code p}; returns {@link #DECODED}, {@link #OTHER}, {@link #HELD} or {@link #MALFORMED}. */
    public int decode(Frame frame, Packet p) {
        if (frame.headLength > 0) {
            view = frame.head;
            viewBase = frame.offset - frame.headOffset;
            viewSource = frame.data;
            viewLimit = frame.headOffset + frame.capturedLength;
            viewLength = frame.headOffset + frame.headLength;
            return decodeLoaded(frame.data, frame.offset, frame.capturedLength, frame.wireLength, frame.tsMicros,
                    frame.linkType, p);
        }
        return decode(frame.data, frame.offset, frame.capturedLength, frame.wireLength, frame.tsMicros,
                frame.linkType, p);
    }

    /** Decodes one frame given by its parts. */
    public int decode(MemorySegment data, long offset, int capturedLength, int wireLength, long tsMicros,
                      int linkType, Packet p) {
        load(data, offset, capturedLength);
        return decodeLoaded(data, offset, capturedLength, wireLength, tsMicros, linkType, p);
    }

    /** Decodes a frame whose first bytes are in {@link #view}. */
    private int decodeLoaded(MemorySegment data, long offset, int capturedLength, int wireLength, long tsMicros,
                             int linkType, Packet p) {
        p.tsMicros = tsMicros;
        p.wireLength = wireLength;
        p.vlan = -1;
        p.innerVlan = -1;
        long end = offset + capturedLength;
        return switch (linkType) {
            case LinkType.ETHERNET -> {
                if (capturedLength < 14) {
                    yield anomaly(Anomaly.truncated_link_header);
                }
                yield ethertype(p, data, offset + 14, end, u16(offset + 12));
            }
            case LinkType.LINUX_SLL -> {
                if (capturedLength < 16) {
                    yield anomaly(Anomaly.truncated_link_header);
                }
                yield ethertype(p, data, offset + 16, end, u16(offset + 14));
            }
            case LinkType.LINUX_SLL2 -> {
                if (capturedLength < 20) {
                    yield anomaly(Anomaly.truncated_link_header);
                }
                yield ethertype(p, data, offset + 20, end, u16(offset));
            }
            case LinkType.NULL, LinkType.LOOP -> {
                if (capturedLength < 4) {
                    yield anomaly(Anomaly.truncated_link_header);
                }
                int family = linkType == LinkType.LOOP ? u32(offset) : u32le(offset);
                if ((family & 0xffff_0000) != 0) {
                    family = Integer.reverseBytes(family);
                }
                yield switch (family) {
                    case 2 -> ipv4(p, data, offset + 4, end);
                    case 10, 24, 28, 30 -> ipv6(p, data, offset + 4, end);
                    default -> OTHER;
                };
            }
            case LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14 -> rawIp(p, data, offset, end);
            case LinkType.IPV4 -> ipv4(p, data, offset, end);
            case LinkType.IPV6 -> ipv6(p, data, offset, end);
            default -> anomaly(Anomaly.unsupported_link_type);
        };
    }

    private int rawIp(Packet p, MemorySegment data, long offset, long end) {
        if (offset >= end) {
            return anomaly(Anomaly.truncated_IP);
        }
        return switch ((u8(offset) & 0xf0) >> 4) {
            case 4 -> ipv4(p, data, offset, end);
            case 6 -> ipv6(p, data, offset, end);
            default -> anomaly(Anomaly.bad_IP_version);
        };
    }

    private int ethertype(Packet p, MemorySegment data, long offset, long end, int type) {
        for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
            if (tags == MAX_VLAN_TAGS) {
                return anomaly(Anomaly.too_many_vlan_tags);
            }
            if (offset + 4 > end) {
                return anomaly(Anomaly.truncated_link_header);
            }
            int id = u16(offset) & 0x0fff;
            if (p.vlan < 0) {
                p.vlan = id;
            } else if (p.innerVlan < 0) {
                p.innerVlan = id;
            }
            type = u16(offset + 2);
            offset += 4;
        }
        return switch (type) {
            case 0x0800 -> ipv4(p, data, offset, end);
            case 0x86dd -> ipv6(p, data, offset, end);
            case 0x0806 -> arp(p, data, offset, end);
            case ETHERTYPE_PPPOE_SESSION -> pppoeSession(p, data, offset, end);
            default -> OTHER;
        };
    }

    private int pppoeSession(Packet p, MemorySegment data, long offset, long end) {
        if (offset + PPPOE_HEADER - 1 > end) {
            return anomaly(Anomaly.truncated_pppoe_header);
        }
        int length = u16(offset + 4);
        if ((u8(offset) & 0xff) != PPPOE_VERSION_TYPE
                || u8(offset + 1) != 0 || length < 1) {
            return anomaly(Anomaly.bad_pppoe_header);
        }
        long payloadEnd = Math.min(end, offset + 6 + length);
        int first = u8(offset + 6) & 0xff;
        int protocol;
        long ip;
        if ((first & 1) != 0) {
            protocol = first;
            ip = offset + 7;
        } else {
            if (length < 2 || offset + PPPOE_HEADER > end) {
                return anomaly(Anomaly.truncated_pppoe_header);
            }
            protocol = u16(offset + 6);
            ip = offset + PPPOE_HEADER;
        }
        return switch (protocol) {
            case PPP_IPV4 -> ipv4(p, data, ip, payloadEnd);
            case PPP_IPV6 -> ipv6(p, data, ip, payloadEnd);
            default -> OTHER;
        };
    }

    /** RFC 826 for Ethernet/IPv4 only; other hardware or protocol types are left alone. */
    private int arp(Packet p, MemorySegment data, long offset, long end) {
        if (offset + 28 > end) {
            return anomaly(Anomaly.truncated_ARP);
        }
        if (u16(offset) != 1 || u16(offset + 2) != 0x0800
                || u8(offset + 4) != 6 || u8(offset + 5) != 4) {
            return OTHER;
        }
        p.arpOperation = u16(offset + 6);
        p.ipVersion = 4;
        p.srcHi = 0;
        p.srcLo = V4_MAPPED | (u32(offset + 14) & 0xffff_ffffL);
        p.dstHi = 0;
        p.dstLo = V4_MAPPED | (u32(offset + 24) & 0xffff_ffffL);
        return ARP;
    }

    private int ipv4(Packet p, MemorySegment data, long offset, long end) {
        long captured = end - offset;
        if (captured < 20) {
            return anomaly(Anomaly.truncated_IP);
        }
        int first = u8(offset) & 0xff;
        if (first >> 4 != 4) {
            return anomaly(Anomaly.bad_IP_version);
        }
        int headerLength = (first & 0x0f) * 4;
        if (headerLength < 20) {
            return anomaly(Anomaly.bad_IP_header_length);
        }
        if (captured < headerLength) {
            return anomaly(Anomaly.truncated_IP);
        }
        int totalLength = u16(offset + 2);
        if (totalLength == 0) {
            totalLength = (int) Math.min(captured, 65_535);
        }
        if (totalLength < headerLength) {
            return anomaly(Anomaly.bad_IP_total_length);
        }
        p.ipVersion = 4;
        p.ipLength = totalLength;
        p.srcHi = 0;
        p.srcLo = V4_MAPPED | (u32(offset + 12) & 0xffff_ffffL);
        p.dstHi = 0;
        p.dstLo = V4_MAPPED | (u32(offset + 16) & 0xffff_ffffL);
        int protocol = u8(offset + 9) & 0xff;
        long ipEnd = Math.min(offset + totalLength, end);
        long payload = offset + headerLength;
        int wirePayload = totalLength - headerLength;
        int fragment = u16(offset + 6);
        boolean more = (fragment & 0x2000) != 0;
        int fragmentOffset = (fragment & 0x1fff) * 8;
        if (more || fragmentOffset != 0) {
            if (ipEnd - payload < wirePayload) {
                return anomaly(Anomaly.fragment_dropped);
            }
            int id = u16(offset + 4);
            int r = fragments.add(4, 0, p.srcLo, 0, p.dstLo, id, fragmentOffset == 0 ? protocol : -1,
                    fragmentOffset, more, data, payload, wirePayload, p.tsMicros);
            return reassembled(p, r, headerLength);
        }
        return transport(p, protocol, data, payload, (int) (ipEnd - payload), wirePayload);
    }

    private int reassembled(Packet p, int result, int headerLength) {
        if (fragments.lastOverlapped()) {
            count(Anomaly.fragment_overlap);
        }
        if (result == FragmentReassembler.DROPPED) {
            return anomaly(Anomaly.fragment_dropped);
        }
        if (result == FragmentReassembler.PENDING) {
            return HELD;
        }
        int length = fragments.payloadLength();
        p.ipLength = headerLength + length;
        MemorySegment payload = fragments.payload();
        loadReassembled(fragments.payloadBytes(), length);
        int protocol = fragments.payloadProtocol();
        if (p.ipVersion == 6) {
            return ipv6Chain(p, protocol, payload, 0, length, length, 0, true);
        }
        return transport(p, protocol, payload, 0, length, length);
    }

    private int ipv6(Packet p, MemorySegment data, long offset, long end) {
        long captured = end - offset;
        if (captured < 40) {
            return anomaly(Anomaly.truncated_IP);
        }
        if ((u8(offset) & 0xf0) != 0x60) {
            return anomaly(Anomaly.bad_IP_version);
        }
        int payloadLength = u16(offset + 4);
        if (payloadLength == 0) {
            payloadLength = (int) Math.min(captured - 40, 65_535);
        }
        p.ipVersion = 6;
        p.ipLength = 40 + payloadLength;
        p.srcHi = u64(offset + 8);
        p.srcLo = u64(offset + 16);
        p.dstHi = u64(offset + 24);
        p.dstLo = u64(offset + 32);
        int next = u8(offset + 6) & 0xff;
        long ipEnd = Math.min(offset + 40 + payloadLength, end);
        return ipv6Chain(p, next, data, offset + 40, (int) (ipEnd - offset - 40), payloadLength, 40, false);
    }

    /** Follows extension headers from {@code offset}; {@code headerBytes} counts the IPv6 header bytes before it. */
    private int ipv6Chain(Packet p, int next, MemorySegment data, long offset, int captured, int wire,
                          int headerBytes, boolean reassembled) {
        long end = offset + captured;
        for (int n = 0; ; n++) {
            switch (next) {
                case 0, 43, 60, 51, 135, 44 -> {
                    if (n == MAX_EXTENSION_HEADERS || offset + 8 > end) {
                        return anomaly(Anomaly.bad_IPv6_extension_headers);
                    }
                    int following = u8(offset) & 0xff;
                    int length;
                    if (next == 44) {
                        if (reassembled) {
                            return anomaly(Anomaly.bad_IPv6_extension_headers);
                        }
                        int field = u16(offset + 2);
                        int fragmentOffset = field & 0xfff8;
                        boolean more = (field & 1) != 0;
                        int id = u32(offset + 4);
                        long fragmentData = offset + 8;
                        int fragmentLength = wire - 8;
                        if (end - fragmentData < fragmentLength || fragmentLength < 0) {
                            return anomaly(Anomaly.fragment_dropped);
                        }
                        if (fragmentOffset == 0 && !more) {
                            offset = fragmentData;
                            wire -= 8;
                            next = following;
                            continue;
                        }
                        int r = fragments.add(6, p.srcHi, p.srcLo, p.dstHi, p.dstLo, id,
                                fragmentOffset == 0 ? following : -1, fragmentOffset, more, data, fragmentData,
                                fragmentLength, p.tsMicros);
                        return reassembled(p, r, headerBytes + 8);
                    }
                    length = next == 51
                            ? ((u8(offset + 1) & 0xff) + 2) * 4
                            : ((u8(offset + 1) & 0xff) + 1) * 8;
                    if (offset + length > end) {
                        return anomaly(Anomaly.bad_IPv6_extension_headers);
                    }
                    offset += length;
                    wire -= length;
                    headerBytes += length;
                    next = following;
                }
                default -> {
                    return transport(p, next, data, offset, (int) (end - offset), Math.max(0, wire));
                }
            }
        }
    }

    private int transport(Packet p, int protocol, MemorySegment data, long offset, int captured, int wire) {
        p.protocol = protocol;
        p.data = data;
        p.tcpFlags = 0;
        switch (protocol) {
            case Packet.TCP -> {
                if (captured < 20) {
                    return anomaly(Anomaly.truncated_TCP_header);
                }
                int dataOffset = ((u8(offset + 12) & 0xf0) >> 4) * 4;
                if (dataOffset < 20 || dataOffset > captured) {
                    return anomaly(Anomaly.truncated_TCP_header);
                }
                p.srcPort = u16(offset);
                p.dstPort = u16(offset + 2);
                p.seq = u32(offset + 4);
                p.ack = u32(offset + 8);
                p.tcpFlags = u8(offset + 13) & 0x3f;
                p.window = u16(offset + 14);
                p.payloadOffset = offset + dataOffset;
                p.payloadWireLength = Math.max(0, wire - dataOffset);
                p.payloadLength = Math.min(captured - dataOffset, p.payloadWireLength);
                return DECODED;
            }
            case Packet.UDP -> {
                if (captured < 8) {
                    return anomaly(Anomaly.truncated_UDP_header);
                }
                int length = u16(offset + 4);
                if (length < 8) {
                    if (length != 0) {
                        return anomaly(Anomaly.truncated_UDP_header);
                    }
                    length = wire;
                }
                p.srcPort = u16(offset);
                p.dstPort = u16(offset + 2);
                p.payloadOffset = offset + 8;
                p.payloadWireLength = Math.max(0, Math.min(length, wire) - 8);
                p.payloadLength = Math.min(captured - 8, p.payloadWireLength);
                return DECODED;
            }
            case Packet.ICMP, Packet.ICMP6 -> {
                if (captured < 4) {
                    return anomaly(Anomaly.truncated_ICMP_header);
                }
                p.srcPort = u8(offset) & 0xff;
                p.dstPort = u8(offset + 1) & 0xff;
                p.payloadOffset = offset + Math.min(8, captured);
                p.payloadWireLength = Math.max(0, wire - 8);
                p.payloadLength = Math.max(0, Math.min(captured - 8, p.payloadWireLength));
                return DECODED;
            }
            default -> {
                return OTHER;
            }
        }
    }

    /**
     * Copies the first {@link #HEADER_BYTES} captured bytes of a frame (all of them if fewer) into the
     * header buffer; reads beyond extend it up to the captured length.
     */
    private void load(MemorySegment data, long offset, int capturedLength) {
        view = scratch;
        viewBase = offset;
        viewSource = data;
        viewLimit = capturedLength;
        viewLength = Math.max(0, Math.min(capturedLength, HEADER_BYTES));
        MemorySegment.copy(data, offset, scratchSegment, 0, viewLength);
    }

    /** Reads the reassembled datagram's headers from the reassembler's own bytes. */
    private void loadReassembled(byte[] bytes, int length) {
        view = bytes;
        viewBase = 0;
        viewSource = null;
        viewLimit = length;
        viewLength = length;
    }

    /** Index in {@link #view} of the absolute offset {@code at}, with {@code width} bytes readable there. */
    private int index(long at, int width) {
        int i = (int) (at - viewBase);
        if (i + width > viewLength) {
            extend(i + width);
        }
        return i;
    }

    /** Headers run past the copied bytes (long IPv6 extension chains): copy more, up to the captured length. */
    private void extend(int need) {
        int n = Math.min(viewLimit, Math.max(need, viewLength * 2));
        if (viewSource == null || n <= viewLength) {
            return;
        }
        if (scratch.length < n) {
            scratch = new byte[n];
            scratchSegment = MemorySegment.ofArray(scratch);
        }
        if (view != scratch) {
            // a smaller scratch, or the frame's head, which belongs to its reader: continue in our own copy
            System.arraycopy(view, 0, scratch, 0, viewLength);
            view = scratch;
        }
        MemorySegment.copy(viewSource, viewBase + viewLength, scratchSegment, viewLength, n - viewLength);
        viewLength = n;
    }

    private int u8(long at) {
        int i = index(at, 1);
        return view[i] & 0xff;
    }

    private int u16(long at) {
        int i = index(at, 2);
        return (view[i] & 0xff) << 8 | (view[i + 1] & 0xff);
    }

    private int u32(long at) {
        int i = index(at, 4);
        return (view[i] & 0xff) << 24 | (view[i + 1] & 0xff) << 16 | (view[i + 2] & 0xff) << 8 | (view[i + 3] & 0xff);
    }

    private int u32le(long at) {
        return Integer.reverseBytes(u32(at));
    }

    private long u64(long at) {
        return (long) u32(at) << 32 | (u32(at + 4) & 0xffff_ffffL);
    }

    private int anomaly(Anomaly a) {
        count(a);
        last = a;
        return MALFORMED;
    }

    private void count(Anomaly a) {
        anomalies[a.ordinal()]++;
    }

    /** Why the last {@link #MALFORMED} result happened. */
    public Anomaly lastAnomaly() {
        return last;
    }

    /** How often {@code a} happened so far. */
    public long anomalyCount(Anomaly a) {
        return anomalies[a.ordinal()];
    }

    /** Anomaly counts indexed by {@link Anomaly#ordinal()} (a live view; do not modify). */
    public long[] anomalyCounts() {
        return anomalies;
    }

    /** The fragment reassembler, for its counters. */
    public FragmentReassembler fragments() {
        return fragments;
    }
}
