package dev.vigil.model.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Canonical text of IP addresses, so that an address written by the API server, by a packet decoder
 * or by a user is one key: IPv4 as dotted decimal without leading zeros; IPv6 per RFC 5952 section 4
 * (lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}, the first
 * such run on a tie). IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are the IPv4 address they
 * carry, as a dual-stack socket reports IPv4 peers that way.
 */
public final class IpText {

    private static final long V4_MAPPED_HIGH_WORD = 0xffffL;

    private IpText() {
    }

    /**
     * The canonical text of {@code text}, or null when it is no IP address literal. A zone
     * ({@code %eth0}) and surrounding brackets are dropped; IPv4 parts with leading zeros are read as
     * decimal, as Kubernetes' parser does.
     */
    public static String canonical(String text) {
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
        byte[] b = address.getAddress();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xff);
            lo = lo << 8 | (b[i + 8] & 0xff);
        }
        return format(hi, lo);
    }

    /** The canonical text of a 128-bit address held as two longs; IPv4 is held IPv4-mapped. */
    public static String format(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == V4_MAPPED_HIGH_WORD) {
            return formatV4((int) lo);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
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
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Dotted decimal written digit by digit: every flow's two addresses are formatted, concatenation costs more. */
    private static String formatV4(int address) {
        byte[] text = new byte[15];
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int part = (address >>> shift) & 0xff;
            if (part >= 100) {
                text[n++] = (byte) ('0' + part / 100);
            }
            if (part >= 10) {
                text[n++] = (byte) ('0' + part / 10 % 10);
            }
            text[n++] = (byte) ('0' + part % 10);
            if (shift > 0) {
                text[n++] = '.';
            }
        }
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Strict dotted quad; returns {@code s} itself when it is already canonical. */
    private static String canonicalV4(String s) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        boolean leadingZero = false;
        for (int i = 0, n = s.length(); i <= n; i++) {
            char c = i < n ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    leadingZero = true;
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
        if (!leadingZero) {
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
}
