package dev.vigil.cli.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackgroundRecordSinkTest {

    private record Numbered(int n) implements LogRecord {
        @Override
        public String log() {
            return "conn";
        }

        @Override
        public double ts() {
            return n;
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.number("n", n);
        }
    }

    @Test
    void everyRecordArrivesInOrderAcrossBatchesAndTheRemainderOnClose() {
        List<Integer> seen = new ArrayList<>();
        int count = BackgroundRecordSink.BATCH * BackgroundRecordSink.QUEUE * 3 + 7;
        try (BackgroundRecordSink sink = new BackgroundRecordSink(r -> seen.add(((Numbered) r).n()))) {
            for (int i = 0; i < count; i++) {
                sink.accept(new Numbered(i));
            }
        }
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    @Test
    void aFailingWriterStopsTheAnalysisWithItsError() {
        UncheckedIOException broken = new UncheckedIOException(new java.io.IOException("Broken pipe"));
        BackgroundRecordSink sink = new BackgroundRecordSink(r -> {
            throw broken;
        });
        assertThatThrownBy(() -> {
            for (int i = 0; i < BackgroundRecordSink.BATCH * (BackgroundRecordSink.QUEUE + 4); i++) {
                sink.accept(new Numbered(i));
            }
            sink.close();
        }).isSameAs(broken);
    }

    /** Regression: close threw the failure a hand-over had thrown, and try-with-resources reported "Self-suppression not permitted". */
    @Test
    void closeDoesNotThrowAFailureAgain() {
        UncheckedIOException broken = new UncheckedIOException(new java.io.IOException("Broken pipe"));
        assertThatThrownBy(() -> {
            try (BackgroundRecordSink sink = new BackgroundRecordSink(r -> {
                throw broken;
            })) {
                for (int i = 0; i < BackgroundRecordSink.BATCH * (BackgroundRecordSink.QUEUE + 4); i++) {
                    sink.accept(new Numbered(i));
                }
            }
        }).isSameAs(broken).satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }
}
