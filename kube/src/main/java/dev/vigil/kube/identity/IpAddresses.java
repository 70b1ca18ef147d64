package dev.vigil.kube.identity;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Canonical text of IP addresses, so that an address written by the API server, by a packet decoder
 * or by a user is the same key: IPv4 as dotted decimal without leading zeros, IPv6 per RFC 5952
 * section 4 (lower case, no leading zeros, the longest run of two or more zero groups as {@code ::},
 * the first such run on a tie). IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) become the IPv4
 * address they carry, since a dual-stack socket reports IPv4 peers that way. A zone ({@code %eth0})
 * and surrounding brackets are dropped.
 */
final class IpAddresses {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private IpAddresses() {
    }

    /** The canonical text of {@code text}, or null when it is not an IP address literal. */
    static String canonical(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String s = text;
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') < 0) {
            return canonicalV4(s);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (address instanceof Inet4Address v4) {
            return v4.getHostAddress();
        }
        return renderV6(address.getAddress());
    }

    /** Strict dotted quad; leading zeros are read as decimal, as Kubernetes' sloppy parser does. */
    private static String canonicalV4(String s) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        boolean changed = false;
        for (int i = 0, n = s.length(); i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    changed = true;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.') {
                if (digits == 0 || ++parts > 4) {
                    return null;
                }
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        if (parts != 4) {
            return null;
        }
        if (!changed) {
            return s;
        }
        StringBuilder out = new StringBuilder(15);
        for (String part : s.split("\\.")) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(Integer.parseInt(part));
        }
        return out.toString();
    }

    private static String renderV6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            appendHex(out, groups[i]);
        }
        return out.toString();
    }

    private static void appendHex(StringBuilder out, int group) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nibble = (group >> shift) & 0xf;
            if (nibble != 0 || started || shift == 0) {
                out.append(HEX[nibble]);
                started = true;
            }
        }
    }
}
