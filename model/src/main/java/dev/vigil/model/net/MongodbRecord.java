package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One MongoDB request and its reply ({@code mongodb} log; Zeek has none, so the names are MongoDB's
 * own): the wire {@code op} ({@code msg}, {@code query}, {@code insert} …), the {@code command} (first
 * key of the command document), {@code database} ({@code $db}, or the prefix of a legacy full
 * collection name), {@code collection}, and from the reply {@code success} ({@code ok}) and
 * {@code error} ({@code errmsg}).
 */
public record MongodbRecord(double ts, String uid, ConnId id, String op, long requestId, String command,
        String database, String collection, Boolean success, String error) implements LogRecord {

    @Override
    public String log() {
        return "mongodb";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("op", op).number("request_id", requestId).string("command", command).string("database", database)
                .string("collection", collection).bool("success", success).string("error", error);
    }
}
