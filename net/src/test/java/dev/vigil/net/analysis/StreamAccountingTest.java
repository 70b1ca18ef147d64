package dev.vigil.net.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppContext;
import dev.vigil.net.app.Direction;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Over every corpus capture: for each TCP connection, the bytes reassembly hands to the analyzer plus
 * the gaps it declares add up to the payload Zeek's sequence-number accounting reports
 * ({@code orig_bytes}, {@code resp_bytes}) — nothing delivered twice, nothing lost silently.
 */
class StreamAccountingTest {

    static Stream<Path> captures() throws IOException {
        Path root = Requirements.corpora().resolve("pcaps");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|trace|cap)$")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void deliveredPlusGapsEqualsSequenceBytes(Path file) {
        RecordingSink sink = CorpusRun.run(file, null, Counter::new, 0);
        Map<String, Totals> totals = sink.records.stream().filter(r -> r instanceof Totals).map(r -> (Totals) r)
                .collect(Collectors.toMap(t -> t.uid, Function.identity()));
        List<ConnRecord> tcp = sink.conns().stream().filter(c -> c.id().proto().equals("tcp")).toList();
        for (ConnRecord c : tcp) {
            Totals t = totals.getOrDefault(c.uid(), new Totals(c.uid(), 0, 0, 0, 0));
            assertThat(t.orig + t.origGap).as("%s %s orig", file.getFileName(), c.id()).isEqualTo(c.origBytes());
            assertThat(t.resp + t.respGap).as("%s %s resp", file.getFileName(), c.id()).isEqualTo(c.respBytes());
            assertThat(t.origGap + t.respGap).as("%s %s missed", file.getFileName(), c.id()).isEqualTo(c.missedBytes());
        }
    }

    private record Totals(String uid, long orig, long origGap, long resp, long respGap) implements LogRecord {
        @Override
        public String log() {
            return "totals";
        }

        @Override
        public double ts() {
            return 0;
        }

        @Override
        public void writeTo(FieldSink sink) {
        }
    }

    private static final class Counter implements AppAnalyzer {
        private final AppContext context;
        private final long[] bytes = new long[4];

        Counter(AppContext context) {
            this.context = context;
        }

        @Override
        public void data(Direction direction, MemorySegment b, long offset, int length, long ts) {
            bytes[direction.ordinal() * 2] += length;
        }

        @Override
        public void gap(Direction direction, long length) {
            bytes[direction.ordinal() * 2 + 1] += length;
        }

        @Override
        public void end(long ts) {
            context.emit(new Totals(context.uid(), bytes[0], bytes[1], bytes[2], bytes[3]));
        }
    }
}
