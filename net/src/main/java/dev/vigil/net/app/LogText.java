package dev.vigil.net.app;

/**
 * Turns captured bytes into log text the way Zeek's JSON writer does: valid UTF-8 is kept, every
 * byte that is not part of a valid UTF-8 sequence becomes the four characters {@code \xHH}. Control
 * characters stay as they are (the JSON writer escapes them). Called only when a record is built,
 * never per packet.
 */
public final class LogText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** The text of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static String of(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(length + 8);
        for (int k = offset; k < i; k++) {
            out.append((char) bytes[k]);
        }
        while (i < end) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                out.append((char) b);
                i++;
                continue;
            }
            int n = sequenceLength(bytes, i, end);
            if (n == 0) {
                out.append('\\').append('x').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                i++;
            } else {
                out.append(new String(bytes, i, n, java.nio.charset.StandardCharsets.UTF_8));
                i += n;
            }
        }
        return out.toString();
    }

    /** Length of the valid UTF-8 multi-byte sequence starting at {@code i}, or 0 when it is not valid (RFC 3629 section 4). */
    private static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xff;
        int n;
        int min = 0x80;
        int max = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            n = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            n = 3;
            if (lead == 0xe0) {
                min = 0xa0;
            } else if (lead == 0xed) {
                max = 0x9f;
            }
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            n = 4;
            if (lead == 0xf0) {
                min = 0x90;
            } else if (lead == 0xf4) {
                max = 0x8f;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < min || second > max) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int c = b[i + k] & 0xff;
            if (c < 0x80 || c > 0xbf) {
                return 0;
            }
        }
        return n;
    }
}
