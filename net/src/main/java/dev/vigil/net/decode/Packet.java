package dev.vigil.net.decode;

import java.lang.foreign.MemorySegment;

/**
 * The decoded headers of one packet, filled by {@link PacketDecoder} and reused for every packet (no
 * allocation per packet). Addresses are kept as two longs each: IPv6 as-is, IPv4 as an IPv4-mapped
 * IPv6 address ({@code ::ffff:a.b.c.d}), so flows of both families share one key layout.
 *
 * <p>Lifetime: {@link #data} is the frame's memory (or the fragment reassembler's buffer) and is valid
 * only until the next packet is decoded.
 */
public final class Packet {

    /** Memory holding the transport header and payload. */
    public MemorySegment data;
    /** Capture time in microseconds since the epoch, as recorded. */
    public long tsMicros;
    /** Frame length on the wire. */
    public int wireLength;
    /** Outer VLAN id, or -1. */
    public int vlan;
    /** Inner (QinQ) VLAN id, or -1. */
    public int innerVlan;
    /** 4 or 6. */
    public int ipVersion;
    /** IP datagram length from its header (Zeek's {@code *_ip_bytes} unit). */
    public int ipLength;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    /** IP protocol number of the transport ({@link #TCP}, {@link #UDP}, {@link #ICMP}, {@link #ICMP6} …). */
    public int protocol;
    /** Source and destination ports; ICMP: type and code. */
    public int srcPort;
    public int dstPort;
    /** TCP flag bits ({@link #FIN} …). */
    public int tcpFlags;
    public int seq;
    public int ack;
    public int window;
    /** Offset of the transport payload in {@link #data}. */
    public long payloadOffset;
    /** Transport payload bytes present in {@link #data} (may be fewer than {@link #payloadWireLength} when the snap length cut them). */
    public int payloadLength;
    /** Transport payload length according to the headers. */
    public int payloadWireLength;

    /** For {@link PacketDecoder#ARP} results: the ARP operation (1 request, 2 reply); sender in {@code srcLo}, target in {@code dstLo}. */
    public int arpOperation;

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP6 = 58;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
}
