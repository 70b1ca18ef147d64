package dev.vigil.net.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HpackDecoderTest {

    private static List<String> decode(HpackDecoder d, byte[] block) {
        List<String> out = new ArrayList<>();
        boolean ok = d.decode(block, 0, block.length, (b, n, nl, v, vl) -> out.add(
                new String(b, n, nl, StandardCharsets.ISO_8859_1) + ": " + new String(b, v, vl, StandardCharsets.ISO_8859_1)));
        if (!ok) {
            out.add("ERROR " + d.error());
        }
        return out;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** RFC 7541 Appendix C.4: three requests with Huffman coding sharing one dynamic table. */
    @Test
    void rfc7541RequestExamplesWithHuffman() {
        HpackDecoder d = new HpackDecoder(false);
        assertThat(decode(d, hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).containsExactly(
                ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(decode(d, hex("8286 84be 5886 a8eb 1064 9cbf"))).containsExactly(
                ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache");
        assertThat(decode(d, hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))).containsExactly(
                ":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com",
                "custom-key: custom-value");
        assertThat(d.entries()).isEqualTo(3);
    }

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    /** The JDK's encoder (indexing, eviction, Huffman, never-indexed, size updates) against this decoder, block after block. */
    @ParameterizedTest
    @MethodSource("seeds")
    void decodesWhatTheJdkEncoderWrites(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        JdkHpack encoder = new JdkHpack(4096);
        HpackDecoder decoder = new HpackDecoder(false);
        String[] names = {":method", ":path", ":authority", ":status", "content-type", "user-agent", "x-custom",
            "grpc-status", "cookie", "set-cookie"};
        List<String> values = new ArrayList<>();
        int mostEntries = 0;
        for (int blockNo = 0; blockNo < 30; blockNo++) {
            if (random.nextInt(10) == 0) {
                encoder.capacity(random.nextInt(4097));
            }
            List<String[]> fields = new ArrayList<>();
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                String value;
                if (!values.isEmpty() && random.nextBoolean()) {
                    value = values.get(random.nextInt(values.size()));
                } else {
                    char[] c = new char[random.nextInt(random.nextInt(10) == 0 ? 2000 : 40)];
                    for (int k = 0; k < c.length; k++) {
                        c[k] = (char) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26));
                    }
                    value = new String(c);
                    values.add(value);
                }
                String name = random.nextInt(5) == 0 ? "n" + random.nextInt(50) : names[random.nextInt(names.length)];
                fields.add(new String[] {name, value});
            }
            byte[] block = encoder.block(fields, JdkHpack.randomForms(random));
            List<String> expected = fields.stream().map(f -> f[0] + ": " + f[1]).toList();
            assertThat(decode(decoder, block)).as("seed %d block %d", seed, blockNo).isEqualTo(expected);
            mostEntries = Math.max(mostEntries, decoder.entries());
        }
        assertThat(mostEntries).as("seed %d used the dynamic table", seed).isPositive();
    }

    @Test
    void huffmanCoversEveryByteValue() {
        JdkHpack encoder = new JdkHpack(0);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            all.append((char) i);
        }
        String s = all.toString();
        List<String[]> fields = List.of(new String[] {"x", s + s}, new String[] {"y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"});
        HpackDecoder d = new HpackDecoder(false);
        d.maxTableSize(0);
        assertThat(decode(d, encoder.block(fields, () -> JdkHpack.Form.JDK_DEFAULT))).containsExactly("x: " + s + s,
                "y: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    }

    @Test
    void invalidHuffmanPaddingAndEosAreErrors() {
        assertThat(decode(new HpackDecoder(false), hex("00 01 78 81 00"))).containsExactly("ERROR hpack_bad_huffman: invalid "
                + "Huffman code or padding");
        assertThat(decode(new HpackDecoder(false), hex("00 01 78 84 ff ff ff ff"))).containsExactly("ERROR hpack_bad_huffman: "
                + "invalid Huffman code or padding");
        assertThat(decode(new HpackDecoder(false), hex("00 01 78 82 1f ff"))).containsExactly("ERROR hpack_bad_huffman: "
                + "invalid Huffman code or padding");
    }

    @Test
    void indexErrorsAndTruncationAreErrorsAndStickToTheDecoder() {
        HpackDecoder d = new HpackDecoder(false);
        assertThat(decode(d, hex("be"))).containsExactly("ERROR hpack_bad_index: index 62 beyond the 0 dynamic entries");
        assertThat(decode(d, hex("82"))).containsExactly("ERROR hpack_bad_index: index 62 beyond the 0 dynamic entries");
        assertThat(decode(new HpackDecoder(false), hex("80"))).containsExactly("ERROR hpack_bad_index: indexed field "
                + "with index 0");
        assertThat(decode(new HpackDecoder(false), hex("0003 6162"))).containsExactly("ERROR hpack_truncated: string "
                + "of 3 bytes runs past the header block");
        assertThat(decode(new HpackDecoder(false), hex("ff ff ff ff ff ff"))).containsExactly("ERROR hpack_bad_integer: "
                + "integer longer than 5 bytes");
    }

    @Test
    void sizeUpdateAboveTheSettingIsAnErrorAndAtItEvicts() {
        HpackDecoder d = new HpackDecoder(false);
        assertThat(decode(d, hex("4001 61 0162"))).containsExactly("a: b");
        assertThat(d.entries()).isEqualTo(1);
        assertThat(decode(d, hex("20"))).isEmpty();
        assertThat(d.entries()).isZero();
        assertThat(decode(d, hex("3fe1 1f"))).isEmpty();
        assertThat(decode(d, hex("3fe2 1f"))).containsExactly("ERROR hpack_table_size: size update to 4097 above "
                + "the maximum 4096");
    }

    @Test
    void tableSizeIsCappedWhateverTheSettings() {
        HpackDecoder d = new HpackDecoder(false);
        d.maxTableSize(1L << 31);
        assertThat(decode(d, hex("3fe2ff03"))).containsExactly("ERROR hpack_table_size: size update to 65537 above "
                + "the maximum 65536");
        HpackDecoder ok = new HpackDecoder(false);
        ok.maxTableSize(1L << 31);
        assertThat(decode(ok, hex("3fe1ff03"))).isEmpty();
    }

    @Test
    void lenientDecoderSkipsUnknownEntriesAndResolvesNewOnes() {
        HpackDecoder d = new HpackDecoder(true);
        assertThat(decode(d, hex("c0 4001 61 0162 be"))).containsExactly("a: b", "a: b");
        assertThat(d.unknownReferences()).isEqualTo(1);
        assertThat(decode(d, hex("7f00 0163"))).isEmpty();
        assertThat(d.entries()).isZero();
    }

    @Test
    void fieldLongerThanTheLimitIsAnError() {
        int n = HpackDecoder.MAX_FIELD_LENGTH;
        byte[] ok = literal(n - 1);
        assertThat(decode(new HpackDecoder(false), ok)).hasSize(1);
        byte[] over = literal(n);
        assertThat(decode(new HpackDecoder(false), over)).containsExactly("ERROR hpack_field_too_long: max field "
                + "length: 131072 exceeded");
    }

    /** A literal without indexing, name "x", raw value of {@code valueLength} bytes. */
    private static byte[] literal(int valueLength) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x00);
        out.write(0x01);
        out.write('x');
        int v = valueLength;
        out.write(0x7f);
        v -= 127;
        while (v >= 128) {
            out.write((v & 0x7f) | 0x80);
            v >>= 7;
        }
        out.write(v);
        out.writeBytes(new byte[valueLength]);
        return out.toByteArray();
    }
}
