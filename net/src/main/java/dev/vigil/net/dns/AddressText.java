package dev.vigil.net.dns;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Text of A and AAAA record data: dotted quad, and IPv6 in RFC 5952 canonical form (as Zeek prints addresses). */
final class AddressText {

    private AddressText() {
    }

    static String ipv4(MemorySegment s, long at) {
        return u8(s, at) + "." + u8(s, at + 1) + "." + u8(s, at + 2) + "." + u8(s, at + 3);
    }

    static String ipv6(MemorySegment s, long at) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (u8(s, at + 2L * i) << 8) | u8(s, at + 2L * i + 1);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + u8(s, at + 12) + "." + u8(s, at + 13) + "." + u8(s, at + 14) + "." + u8(s, at + 15);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }
}
