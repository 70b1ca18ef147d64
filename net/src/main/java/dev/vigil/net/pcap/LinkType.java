package dev.vigil.net.pcap;

/**
 * The link-layer header types Vigil decodes (tcpdump.org {@code LINKTYPE_*} values as they appear in
 * pcap and pcapng files, plus the platform {@code DLT_*} values some writers use for raw IP).
 */
public final class LinkType {

    /** BSD loopback: a 4-byte address family in the writer's byte order. */
    public static final int NULL = 0;
    /** Ethernet II with optional 802.1Q/802.1ad tags. */
    public static final int ETHERNET = 1;
    /** Raw IPv4 or IPv6 as written on most platforms ({@code DLT_RAW} 12 on Linux, 14 on OpenBSD). */
    public static final int RAW_12 = 12;
    public static final int RAW_14 = 14;
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Raw IPv4 or IPv6 ({@code LINKTYPE_RAW}). */
    public static final int RAW = 101;
    /** Linux cooked capture v1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4 only. */
    public static final int IPV4 = 228;
    /** Raw IPv6 only. */
    public static final int IPV6 = 229;
    /** Linux cooked capture v2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** True when Vigil can decode frames of this link type. */
    public static boolean supported(int linkType) {
        return switch (linkType) {
            case NULL, ETHERNET, RAW_12, RAW_14, LOOP, RAW, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }

    /** A short name for messages, e.g. {@code EN10MB(1)}. */
    public static String name(int linkType) {
        String name = switch (linkType) {
            case NULL -> "NULL";
            case ETHERNET -> "EN10MB";
            case RAW_12, RAW_14, RAW -> "RAW";
            case LOOP -> "LOOP";
            case LINUX_SLL -> "LINUX_SLL";
            case IPV4 -> "IPV4";
            case IPV6 -> "IPV6";
            case LINUX_SLL2 -> "LINUX_SLL2";
            default -> "unknown";
        };
        return name + "(" + linkType + ")";
    }
}
