package dev.vigil.model.record;

import static org.assertj.core.api.Assertions.assertThat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLineTest {

    private record Sample(double ts, String host, Boolean encrypted) implements LogRecord {
        @Override
        public String log() {
            return "conn";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("id.orig_h", host).bool("encrypted", encrypted).number("orig_bytes", 42L)
                    .strings("answers", List.of("a", "b\"c")).numbers("TTLs", new long[] {60, 300});
        }
    }

    @Test
    void writesLogAndTimestampFirstAndSkipsNulls() {
        assertThat(new Sample(1_700_000_000.25, "10.0.0.1", null).toJson())
                .isEqualTo("{\"log\":\"conn\",\"ts\":1700000000.250000,\"id.orig_h\":\"10.0.0.1\","
                        + "\"orig_bytes\":42,\"answers\":[\"a\",\"b\\\"c\"],\"TTLs\":[60,300]}");
    }

    @Test
    void escapesControlCharactersAndLoneSurrogates() {
        JsonLine line = new JsonLine().reset();
        line.string("s", "a\u0001\n\ud800x\ud83d\ude00");
        assertThat(line.end().toString()).isEqualTo("{\"s\":\"a\\u0001\\n\\ud800x\ud83d\ude00\"}");
    }

    @org.junit.jupiter.api.Test
    void decimalsNeverUseExponentNotation() {
        String json = new JsonLine().reset().decimal("duration", 0.000396).decimal("big", 1.5e9).decimal("nan", Double.NaN)
                .end().toString();
        org.assertj.core.api.Assertions.assertThat(json).isEqualTo("{\"duration\":0.000396,\"big\":1500000000}");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1L, 2L, 3L})
    void decimalsAreBigDecimalsPlainStrings(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            double v = random.nextDouble() * Math.pow(10, random.nextInt(-12, 20)) * (random.nextBoolean() ? 1 : -1);
            if (i % 7 == 0) {
                v = Math.round(v * 1e6) / 1e6;
            }
            String expected = "{\"d\":" + java.math.BigDecimal.valueOf(v).toPlainString() + "}";
            org.assertj.core.api.Assertions.assertThat(new JsonLine().reset().decimal("d", v).end().toString())
                    .as("seed %d, value %s", seed, Double.toString(v)).isEqualTo(expected);
        }
    }

    /** The UTF-8 bytes of the object {@link JsonLine#finish()} closes. */
    private static byte[] bytes(JsonLine line) {
        return Arrays.copyOf(line.finish().bytes(), line.length());
    }

    /** One value rendered as bytes, decoded; {@link JsonLine#end()} must give the same text. */
    private static String render(String value) {
        JsonLine line = new JsonLine().reset().string("s", value);
        byte[] bytes = bytes(line);
        String text = new String(bytes, UTF_8);
        assertThat(new JsonLine().reset().string("s", value).end().toString()).isEqualTo(text);
        return text;
    }

    @Test
    void loneSurrogatesAreEscapedAndPairsBecomeFourByteSequences() {
        assertThat(render("\ud800")).isEqualTo("{\"s\":\"\\ud800\"}");
        assertThat(render("x\udc00y")).isEqualTo("{\"s\":\"x\\udc00y\"}");
        assertThat(render("\udc00\ud800")).isEqualTo("{\"s\":\"\\udc00\\ud800\"}");
        assertThat(render("\ud800\ud83d\ude00\udc00")).isEqualTo("{\"s\":\"\\ud800\ud83d\ude00\\udc00\"}");
        JsonLine line = new JsonLine().reset().string("s", "\ud83d\ude00");
        assertThat(bytes(line)).containsExactly('{', '"', 's', '"', ':', '"', 0xf0, 0x9f, 0x98, 0x80, '"', '}');
    }

    @Test
    void questionMarksStayAndDoNotHideALoneSurrogate() {
        assertThat(render("a?b")).isEqualTo("{\"s\":\"a?b\"}");
        assertThat(render("?\ud800?")).isEqualTo("{\"s\":\"?\\ud800?\"}");
    }

    @Test
    void controlCharactersAreEscapedAndDeleteIsNot() {
        StringBuilder all = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
            expected.append(switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
            });
        }
        all.append("\u007f\"\\");
        expected.append("\u007f\\\"\\\\");
        assertThat(render(all.toString())).isEqualTo("{\"s\":\"" + expected + "\"}");
    }

    @Test
    void nonAsciiIsUtf8() {
        JsonLine line = new JsonLine().reset().string("caf\u00e9", "\u00e9\u20ac");
        assertThat(bytes(line)).containsExactly('{', '"', 'c', 'a', 'f', 0xc3, 0xa9, '"', ':', '"', 0xc3, 0xa9,
                0xe2, 0x82, 0xac, '"', '}');
        assertThat(new JsonLine().reset().string("caf\u00e9", "\u00e9\u20ac").end().toString())
                .isEqualTo("{\"caf\u00e9\":\"\u00e9\u20ac\"}");
    }

    @Test
    void numbersCoverTheWholeLongRange() {
        String json = new JsonLine().reset().number("min", Long.MIN_VALUE).number("max", Long.MAX_VALUE)
                .number("zero", 0).number("minus", -1).numbers("all", new long[] {Long.MIN_VALUE, -10, 0, 9, 10})
                .numbers("none", new long[0]).end().toString();
        assertThat(json).isEqualTo("{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"zero\":0,"
                + "\"minus\":-1,\"all\":[-9223372036854775808,-10,0,9,10],\"none\":[]}");
    }

    @Test
    void timestampsBeforeTheEpochKeepSixDecimals() {
        String json = new JsonLine().reset().timestamp("a", -1.5).timestamp("b", -0.25).timestamp("c", -1e-7)
                .timestamp("d", 0).timestamp("e", -1_700_000_000.000001).timestamp("f", -1e300).end().toString();
        assertThat(json).isEqualTo("{\"a\":-1.500000,\"b\":-0.250000,\"c\":0.000000,\"d\":0.000000,"
                + "\"e\":-1700000000.000001,\"f\":-9223372036854.775808}");
    }

    @Test
    void fieldsKeepTheirOrderAndRawValuesAreEncoded() {
        JsonLine inner = new JsonLine().reset().string("n", "\u00e9");
        String json = new JsonLine().reset().bool("t", true).bool("f", false).bool("none", null)
                .strings("list", java.util.Arrays.asList("x", null, "\u00e9")).string("skipped", null)
                .raw("obj", inner.end()).raw("nothing", null).decimal("d", -2.5).end().toString();
        assertThat(json).isEqualTo("{\"t\":true,\"f\":false,\"list\":[\"x\",null,\"\u00e9\"],"
                + "\"obj\":{\"n\":\"\u00e9\"},\"d\":-2.5}");
    }

    @Test
    void namesWithTheSameHashKeepTheirOwnRendering() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        JsonLine line = new JsonLine();
        for (int round = 0; round < 3; round++) {
            line.reset().number("Aa", round).number("BB", -round).string("Aa", "x").finish();
            assertThat(new String(line.bytes(), 0, line.length(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"Aa\":" + round + ",\"BB\":" + -round + ",\"Aa\":\"x\"}");
        }
    }

    @Test
    void theBufferGrowsForLongValuesAndManyNames() {
        String big = "\u00e9".repeat(100_000);
        JsonLine line = new JsonLine().reset();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("field" + i);
        }
        StringBuilder expected = new StringBuilder("{");
        for (int round = 0; round < 2; round++) {
            for (String n : names) {
                line.number(n, n.length());
                expected.append(expected.length() > 1 ? "," : "").append('"').append(n).append("\":").append(n.length());
            }
        }
        line.string("big", big);
        expected.append(",\"big\":\"").append(big).append("\"}");
        assertThat(line.end().toString()).isEqualTo(expected.toString());
        assertThat(line.length()).isEqualTo(expected.toString().getBytes(UTF_8).length);
    }

    /** Chars that exercise every path: plain ASCII, '?', escapes, controls, Latin-1, BMP, both surrogate halves. */
    private static final char[] ALPHABET = {'a', 'Z', '0', ' ', '~', '?', '"', '\\', '\n', '\r', '\t', '\u0000', '\u001f',
            '\u007f', '\u00e9', '\u00ff', '\u0100', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud800', '\udbff',
            '\udc00', '\udfff'};

    /** RFC 8259 escaping of {@code s} by the rules JsonLine documents, encoded afterwards by the JDK. */
    private static String reference(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            boolean pairEnd = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || Character.isSurrogate(c) && !pairStart && !pairEnd) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {11L, 12L, 13L})
    void randomStringsMatchTheReferenceEscaping(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        JsonLine line = new JsonLine();
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(0, 24)];
            boolean ascii = random.nextInt(4) == 0;
            for (int j = 0; j < chars.length; j++) {
                chars[j] = ascii ? (char) random.nextInt(0x20, 0x7f) : ALPHABET[random.nextInt(ALPHABET.length)];
            }
            String value = new String(chars);
            String expected = "{\"v\":" + reference(value) + "}";
            line.reset().string("v", value).finish();
            assertThat(Arrays.copyOf(line.bytes(), line.length())).as("seed %d, value #%d %s", seed, i,
                    value.chars().mapToObj(c -> String.format("%04x", c)).toList())
                    .isEqualTo(expected.getBytes(UTF_8));
            assertThat(line.reset().string("v", value).end().toString()).as("seed %d, value #%d", seed, i)
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21L, 22L})
    void numbersAndTimestampsMatchTheJdk(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        JsonLine line = new JsonLine();
        for (int i = 0; i < 20_000; i++) {
            long power = i < 19 ? (long) Math.pow(10, i) : (long) Math.pow(10, random.nextInt(19));
            long value = switch (i % 4) {
                case 0 -> power;
                case 1 -> -power + 1;
                case 2 -> power - 1;
                default -> random.nextLong() / power;
            };
            long micros = random.nextLong(-4_000_000_000_000_000L, 4_000_000_000_000_000L) / power;
            double seconds = micros / 1e6;
            long rounded = Math.round(seconds * 1e6);
            String ts = (rounded < 0 ? "-" : "") + Math.abs(rounded / 1_000_000) + "."
                    + String.format("%06d", Math.abs(rounded % 1_000_000));
            assertThat(line.reset().number("n", value).timestamp("ts", seconds).end().toString())
                    .as("seed %d, #%d", seed, i).isEqualTo("{\"n\":" + value + ",\"ts\":" + ts + "}");
        }
    }
}
