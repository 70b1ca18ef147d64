package dev.vigil.agent.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesOutputTest {

    private record Exec(double ts, String cmdline) implements LogRecord {
        @Override
        public String log() {
            return "exec";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("proc.cmdline", cmdline).number("proc.pid", -1L);
        }
    }

    private static final List<Exec> RECORDS = List.of(new Exec(1.5, "sh -c 'echo caf\u00e9 \u20ac \ud83d\ude00'"),
            new Exec(-0.25, "bad \ud800 \"quoted\"\n"), new Exec(2, "plain?"));

    private static String expected() {
        StringBuilder lines = new StringBuilder();
        for (Exec r : RECORDS) {
            lines.append(r.toJson()).append('\n');
        }
        return lines.toString();
    }

    @Test
    void recordsAppendToAFileAsUtf8Lines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        for (int run = 0; run < 2; run++) {
            try (JsonLinesOutput out = JsonLinesOutput.open(file.toString(), System.out)) {
                RECORDS.forEach(out::record);
                assertThat(out.written()).isEqualTo(RECORDS.size());
            }
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(expected() + expected())
                .contains("caf\u00e9 \u20ac \ud83d\ude00", "bad \\ud800 \\\"quoted\\\"\\n", "\"ts\":-0.250000");
    }

    @Test
    void standardOutputGetsTheSameLinesAndPreRenderedObjects() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (JsonLinesOutput out = JsonLinesOutput.open("-", stdout)) {
            RECORDS.forEach(out::record);
            out.buffer().append("{\"rule\":\"r\u00e9\"}");
            out.rendered();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(expected() + "{\"rule\":\"r\u00e9\"}\n");
    }
}
