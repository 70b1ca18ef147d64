package dev.vigil.net.tls;

import dev.vigil.net.app.Hashes;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.IntPredicate;

/**
 * JA3 and JA3S (Salesforce: MD5 of the decimal canonical string, GREASE removed) and JA4 (FoxIO's
 * {@code JA4.md}: {@code t13d1516h2_8daaf6152771_e5627efa2ab1}, SHA-256 truncated to 12 hex).
 * Computed once per handshake, when the {@code ssl} record is emitted.
 */
final class TlsFingerprints {

    private static final HexFormat HEX = HexFormat.of();
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private static final String EMPTY_HASH = "000000000000";

    private TlsFingerprints() {
    }

    /** {@code SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats}. */
    static String ja3String(ClientHello c) {
        StringBuilder b = new StringBuilder(256).append(c.version).append(',');
        decimals(b, c.ciphers, true).append(',');
        decimals(b, c.extensions, true).append(',');
        decimals(b, c.groups, true).append(',');
        return decimals(b, c.pointFormats, false).toString();
    }

    static String ja3(ClientHello c) {
        return md5(ja3String(c));
    }

    /** {@code SSLVersion,Cipher,SSLExtensions} of the ServerHello. */
    static String ja3sString(ServerHello s) {
        StringBuilder b = new StringBuilder(64).append(s.version).append(',').append(s.cipher).append(',');
        return decimals(b, s.extensions, true).toString();
    }

    static String ja3s(ServerHello s) {
        return md5(ja3sString(s));
    }

    /** JA4 over TCP ({@code t}). */
    static String ja4(ClientHello c) {
        int[] ciphers = withoutGrease(c.ciphers);
        int[] extensions = withoutGrease(c.extensions);
        StringBuilder a = new StringBuilder(40).append('t').append(ja4Version(c.highestVersion()))
                .append(c.sniPresent ? 'd' : 'i');
        twoDigits(a, ciphers.length);
        twoDigits(a, extensions.length);
        a.append(ja4Alpn(c.firstAlpn));

        int[] sortedCiphers = ciphers.clone();
        Arrays.sort(sortedCiphers);
        String cipherHash = sortedCiphers.length == 0 ? EMPTY_HASH : sha256_12(hexList(new StringBuilder(), sortedCiphers));

        int[] kept = kept(extensions, e -> e != ClientHello.EXT_SERVER_NAME && e != ClientHello.EXT_ALPN);
        Arrays.sort(kept);
        String extensionHash;
        if (kept.length == 0) {
            extensionHash = EMPTY_HASH;
        } else {
            StringBuilder e = hexList(new StringBuilder(), kept);
            int[] signatures = withoutGrease(c.signatureAlgorithms);
            if (signatures.length > 0) {
                hexList(e.append('_'), signatures);
            }
            extensionHash = sha256_12(e);
        }
        return a.append('_').append(cipherHash).append('_').append(extensionHash).toString();
    }

    static String ja4Version(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    /** First and last character of the first ALPN value, or of its hex form when either is not alphanumeric. */
    static String ja4Alpn(byte[] first) {
        if (first == null || first.length == 0) {
            return "00";
        }
        int f = first[0] & 0xff;
        int l = first[first.length - 1] & 0xff;
        if (alphanumeric(f) && alphanumeric(l)) {
            return "" + (char) f + (char) l;
        }
        String hex = HEX.formatHex(first);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean alphanumeric(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static void twoDigits(StringBuilder b, int n) {
        int v = Math.min(n, 99);
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static int[] withoutGrease(int[] values) {
        return kept(values, v -> !TlsNames.grease(v));
    }

    /** The values {@code keep} accepts, in order (a loop: streams cost several times more under C1, which pcap analyze runs). */
    private static int[] kept(int[] values, IntPredicate keep) {
        int[] kept = new int[values.length];
        int n = 0;
        for (int v : values) {
            if (keep.test(v)) {
                kept[n++] = v;
            }
        }
        return n == kept.length ? kept : Arrays.copyOf(kept, n);
    }

    private static StringBuilder decimals(StringBuilder b, int[] values, boolean dropGrease) {
        boolean first = true;
        for (int v : values) {
            if (dropGrease && TlsNames.grease(v)) {
                continue;
            }
            if (!first) {
                b.append('-');
            }
            b.append(v);
            first = false;
        }
        return b;
    }

    private static StringBuilder hexList(StringBuilder b, int[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            int v = values[i];
            b.append(HEX_DIGITS[(v >>> 12) & 0xf]).append(HEX_DIGITS[(v >>> 8) & 0xf])
                    .append(HEX_DIGITS[(v >>> 4) & 0xf]).append(HEX_DIGITS[v & 0xf]);
        }
        return b;
    }

    private static String md5(String s) {
        return Hashes.md5(s);
    }

    private static String sha256_12(CharSequence s) {
        return Hashes.sha256(s.toString()).substring(0, 12);
    }
}
