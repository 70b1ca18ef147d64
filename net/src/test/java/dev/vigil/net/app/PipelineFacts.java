package dev.vigil.net.app;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.CorpusRun;
import dev.vigil.net.analysis.RecordingSink;
import dev.vigil.net.detect.ProtocolDetector;
import java.util.List;

/**
 * A corpus capture run through the real pipeline — decoder, flow table, TCP reassembly, protocol
 * detection over {@code Protocols.all()} — as {@code vigil pcap analyze} runs it: what the
 * conformance tests assert on.
 */
public final class PipelineFacts {

    private final RecordingSink sink;

    private PipelineFacts(RecordingSink sink) {
        this.sink = sink;
    }

    /** {@code relative} under {@code ../shared/corpora/pcaps}, analyzed with detection by content. */
    public static PipelineFacts of(String relative) {
        return new PipelineFacts(CorpusRun.run(CorpusRun.pcap(relative), null, new ProtocolDetector()));
    }

    public <T extends LogRecord> List<T> records(Class<T> type) {
        return sink.records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The connections that carried payload. */
    public List<ConnRecord> conns() {
        return sink.conns().stream().filter(c -> c.origBytes() + c.respBytes() > 0).toList();
    }

    /** {@code weird} records (anomalies reported by analyzers and the pipeline). */
    public List<String> weirds() {
        return sink.json("weird");
    }
}
