package dev.vigil.net.analysis;

import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.List;

/** Keeps every record a pipeline emits, for assertions. */
public final class RecordingSink implements RecordSink {

    public final List<LogRecord> records = new ArrayList<>();

    @Override
    public void accept(LogRecord record) {
        records.add(record);
    }

    public List<ConnRecord> conns() {
        return records.stream().filter(r -> r instanceof ConnRecord).map(r -> (ConnRecord) r).toList();
    }

    public List<NoticeRecord> notices() {
        return records.stream().filter(r -> r instanceof NoticeRecord).map(r -> (NoticeRecord) r).toList();
    }

    public List<String> json(String log) {
        return records.stream().filter(r -> r.log().equals(log)).map(LogRecord::toJson).toList();
    }
}
