package dev.vigil.net.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BytesTest {

    /** The first position of {@code b} in {@code [from, to)} found one byte at a time. */
    private static long naiveIndexOf(byte[] data, int from, int to, int b) {
        for (int i = from; i < to; i++) {
            if (data[i] == (byte) b) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 0x0a, 0x20, 0x7f, 0x80, 0x81, 0xfe, 0xff})
    void wordScanAgreesWithByteScanOverEveryRange(int target) {
        long seed = 0x5eed_0000L + target;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(1, 70)];
            for (int i = 0; i < data.length; i++) {
                // few distinct values, so targets, their neighbours and borrow patterns all occur
                int[] values = {target, target ^ 1, target ^ 0x80, 0, 0xff, 0x01, random.nextInt(256)};
                data[i] = (byte) values[random.nextInt(values.length)];
            }
            MemorySegment segment = MemorySegment.ofArray(data);
            for (int from = 0; from <= data.length; from++) {
                for (int to = from; to <= data.length; to++) {
                    assertEquals(naiveIndexOf(data, from, to, target), Bytes.indexOf(segment, from, to, target),
                            "seed " + seed + " round " + round + " [" + from + ", " + to + ")");
                }
            }
        }
    }

    @Test
    void findsTextAcrossWordsAndNotPastTheEnd() {
        byte[] data = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        MemorySegment s = MemorySegment.ofArray(data);
        assertEquals(16, Bytes.indexOf(s, 0, data.length, "Host:"));
        assertEquals(25, Bytes.indexOf(s, 17, data.length, "Host:"));
        assertEquals(-1, Bytes.indexOf(s, 26, data.length, "Host:"));
        assertEquals(-1, Bytes.indexOf(s, 0, 20, "Host:"), "a match must end inside the range");
        assertEquals(16, Bytes.indexOf(s, 0, 21, "Host:"));
        assertEquals(data.length - 4, Bytes.indexOf(s, 0, data.length, "\r\n\r\n"));
    }
}
