package dev.vigil.model.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
}
