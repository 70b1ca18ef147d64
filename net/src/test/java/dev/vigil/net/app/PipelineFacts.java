package dev.vigil.net.app;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.CorpusRun;
import dev.vigil.net.analysis.RecordingSink;
import java.util.List;

/**
 * A corpus capture run through the real pipeline (decoder, flow table, TCP reassembly) with one
 * protocol's analyzer on every TCP connection: what the conformance tests assert on.
 */
public final class PipelineFacts {

    private final RecordingSink sink;

    private PipelineFacts(RecordingSink sink) {
        this.sink = sink;
    }

    /** {@code relative} under {@code ../shared/corpora/pcaps}, analyzed with {@code protocol}. */
    public static PipelineFacts of(String relative, AppProtocol protocol) {
        AppAnalyzerFactory factory = flow -> "tcp".equals(flow.id().proto()) ? protocol.create(flow) : null;
        return new PipelineFacts(CorpusRun.run(CorpusRun.pcap(relative), null, factory));
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
