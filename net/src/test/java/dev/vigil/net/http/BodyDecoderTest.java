package dev.vigil.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {

    private static byte[] text(int n) {
        SplittableRandom r = new SplittableRandom(n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(6));
        }
        return b;
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] plain, boolean raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[plain.length + 1024];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    private static long decode(int coding, byte[] wire, int piece) {
        BodyDecoder d = new BodyDecoder();
        d.start(coding);
        long total = 0;
        for (int at = 0; at < wire.length; at += piece) {
            total += d.feed(MemorySegment.ofArray(wire), at, Math.min(piece, wire.length - at));
        }
        assertThat(d.failed()).isFalse();
        d.close();
        return total;
    }

    @Test
    void gzipCountsDecodedBytesWhereverTheInputIsCut() throws IOException {
        byte[] plain = text(50_000);
        byte[] wire = gzip(plain);
        for (int piece : new int[] {1, 2, 3, 7, 10, 11, 100, wire.length}) {
            assertThat(decode(BodyDecoder.GZIP, wire, piece)).as("piece %d", piece).isEqualTo(plain.length);
        }
    }

    @Test
    void gzipHeaderWithOptionalFieldsIsSkipped() throws IOException {
        byte[] plain = text(1000);
        byte[] member = gzip(plain);
        byte[] extra = {0x1f, (byte) 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3, 2, 0, 'x', 'y', 'n', 0, 'c', 0, 9, 9};
        byte[] wire = new byte[extra.length + member.length - 10];
        System.arraycopy(extra, 0, wire, 0, extra.length);
        System.arraycopy(member, 10, wire, extra.length, member.length - 10);
        assertThat(decode(BodyDecoder.GZIP, wire, 1)).isEqualTo(plain.length);
    }

    @Test
    void deflateIsZlibWrappedOrRaw() {
        byte[] plain = text(20_000);
        assertThat(decode(BodyDecoder.DEFLATE, deflate(plain, false), 5)).isEqualTo(plain.length);
        assertThat(decode(BodyDecoder.DEFLATE, deflate(plain, true), 5)).isEqualTo(plain.length);
    }

    @Test
    void garbageFailsAndTheLimitStopsABomb() throws IOException {
        BodyDecoder d = new BodyDecoder();
        d.start(BodyDecoder.GZIP);
        d.feed(MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3);
        assertThat(d.failed()).isTrue();

        byte[] exactly = gzip(new byte[(int) BodyDecoder.MAX_DECODED_BYTES]);
        assertThat(decode(BodyDecoder.GZIP, exactly, 65536)).isEqualTo(BodyDecoder.MAX_DECODED_BYTES);
        BodyDecoder bomb = new BodyDecoder();
        bomb.start(BodyDecoder.GZIP);
        byte[] over = gzip(new byte[(int) BodyDecoder.MAX_DECODED_BYTES + 1]);
        long n = bomb.feed(MemorySegment.ofArray(over), 0, over.length);
        assertThat(bomb.limited()).isTrue();
        assertThat(n).isEqualTo(BodyDecoder.MAX_DECODED_BYTES);
        bomb.close();
    }
}
