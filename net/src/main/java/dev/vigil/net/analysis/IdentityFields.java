package dev.vigil.net.analysis;

import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityFieldWriter;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * A network record with the cluster identities of both endpoints appended, in the vocabulary of
 * {@link IdentityFieldWriter} ({@code orig_pod}, {@code orig_workload}, {@code resp_service} …).
 */
public record IdentityFields(LogRecord record, Endpoint orig, Endpoint resp) implements LogRecord {

    @Override
    public String log() {
        return record.log();
    }

    @Override
    public double ts() {
        return record.ts();
    }

    @Override
    public void writeTo(FieldSink sink) {
        record.writeTo(sink);
        IdentityFieldWriter.endpoint(sink, IdentityFieldWriter.Side.ORIG, orig);
        IdentityFieldWriter.endpoint(sink, IdentityFieldWriter.Side.RESP, resp);
    }
}
