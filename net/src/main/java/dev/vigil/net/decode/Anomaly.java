package dev.vigil.net.decode;

/**
 * Why a packet could not be decoded in full, named as Zeek's {@code weird.log} names the same
 * conditions. Decoders return these codes instead of throwing and count them.
 */
public enum Anomaly {
    /** The frame is shorter than its link-layer header. */
    truncated_link_header,
    /** An ARP packet shorter than the 28 bytes of an Ethernet/IPv4 ARP body. */
    truncated_ARP,
    /** More VLAN tags than {@link PacketDecoder#MAX_VLAN_TAGS}. */
    too_many_vlan_tags,
    /** The captured IP header is cut short. */
    truncated_IP,
    /** A PPPoE session frame too short for its header and PPP protocol field. */
    truncated_pppoe_header,
    /** A PPPoE session header with a version/type other than 1/1, a code other than session data, or no payload. */
    bad_pppoe_header,
    /** The IP version nibble is neither 4 nor 6, or disagrees with the link layer. */
    bad_IP_version,
    /** IPv4 header length below 20 bytes or beyond the datagram. */
    bad_IP_header_length,
    /** IP total length smaller than its own header. */
    bad_IP_total_length,
    /** More IPv6 extension headers than {@link PacketDecoder#MAX_EXTENSION_HEADERS}, or one cut short. */
    bad_IPv6_extension_headers,
    /** TCP header cut short or with a data offset below 5. */
    truncated_TCP_header,
    /** UDP header cut short or with a length below 8. */
    truncated_UDP_header,
    /** ICMP header cut short. */
    truncated_ICMP_header,
    /** A fragment was dropped by the reassembler's limits (see {@code dev.vigil.net.ip.FragmentReassembler}). */
    fragment_dropped,
    /** A fragment overlaps earlier data with different bytes (first copy kept). */
    fragment_overlap,
    /** Link type Vigil does not decode. */
    unsupported_link_type
}
