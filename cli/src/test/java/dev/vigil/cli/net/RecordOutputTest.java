package dev.vigil.cli.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordOutputTest {

    /** A record whose values are non-ASCII (Latin-1, BMP, a pair, a lone surrogate) of varying length. */
    private record Named(String log, int n) implements LogRecord {
        @Override
        public double ts() {
            return 1_700_000_000 + n / 1000.0;
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.number("n", n).string("host", "caf\u00e9-" + "\u20ac".repeat(n % 7) + ".example")
                    .string("emoji", "\ud83d\ude00".repeat(n % 3)).string("lone", n % 5 == 0 ? "x\ud800" : "plain?")
                    .strings("answers", List.of("\u00fc" + n, "10.0.0." + n % 250));
        }
    }

    /** Enough records for several chunks, so multi-byte sequences fall near chunk ends. */
    private static List<LogRecord> records() {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; records.size() < 3 * RecordOutput.CHUNK / 100; i++) {
            records.add(new Named(i % 10 == 0 ? "weird" : i % 2 == 0 ? "conn" : "dns", i));
        }
        return records;
    }

    @Test
    void bytesAndWriterGiveTheSameText() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter text = new StringWriter();
        try (RecordOutput toBytes = new RecordOutput(bytes, null);
             RecordOutput toText = new RecordOutput(text, null, false)) {
            for (LogRecord r : records()) {
                toBytes.accept(r);
                toText.accept(r);
            }
        }
        StringBuilder expected = new StringBuilder();
        for (LogRecord r : records()) {
            if (!r.log().equals("weird")) {
                expected.append(r.toJson()).append('\n');
            }
        }
        assertThat(bytes.size()).isGreaterThan(2 * RecordOutput.CHUNK);
        assertThat(bytes.toString(UTF_8)).isEqualTo(text.toString()).isEqualTo(expected.toString())
                .contains("caf\u00e9-\u20ac", "\ud83d\ude00", "x\\ud800", "plain?");
        assertThat(bytes.toByteArray()).isEqualTo(expected.toString().getBytes(UTF_8));
    }

    @Test
    void producersHandOverByteChunksThatArriveWhole() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<LogRecord> records = records();
        try (RecordOutput output = new RecordOutput(bytes, Set.of("conn", "dns", "weird"));
             BackgroundRecordSink sink = new BackgroundRecordSink(output)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int first = t;
                var producer = sink.producer();
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = first; i < records.size(); i += 3) {
                        producer.accept(records.get(i));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        List<String> expected = records.stream().map(LogRecord::toJson).sorted().toList();
        assertThat(bytes.toString(UTF_8).lines().sorted().toList()).isEqualTo(expected);
    }

    @Test
    void aClosedPipeStopsTheWritingWithAMessage() {
        java.io.OutputStream closedPipe = new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (RecordOutput output = new RecordOutput(closedPipe, null);
                 BackgroundRecordSink sink = new BackgroundRecordSink(output)) {
                for (int round = 0; round < 1000; round++) {
                    records().forEach(sink::accept);
                }
            }
        }).hasMessage("writing records failed: Broken pipe; analysis stopped");
    }
}
