package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * Malformed or unexpected input met by a decoder or analyzer, Zeek's {@code weird.log} record
 * ({@code name} such as {@code truncated_IP}, {@code dns_compression_loop}). {@code uid} and
 * {@code id} are null for anomalies outside a connection.
 */
public record WeirdRecord(double ts, String uid, ConnId id, String name, String addl, String source)
        implements LogRecord {

    @Override
    public String log() {
        return "weird";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        if (id != null) {
            id.writeTo(sink);
        }
        sink.string("name", name).string("addl", addl).string("source", source);
    }
}
