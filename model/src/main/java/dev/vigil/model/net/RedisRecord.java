package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * One Redis command and its reply, as a line of Zeek 7's {@code redis} log: {@code cmd.name} (the
 * first word as sent), {@code cmd.key} and {@code cmd.value} for commands known to carry them (never
 * the password of {@code AUTH}), {@code success} (false for an error reply; unset when no reply came)
 * and {@code reply.value} rendered as text.
 */
public record RedisRecord(double ts, String uid, ConnId id, String name, String key, String value, Boolean success,
        String reply) implements LogRecord {

    @Override
    public String log() {
        return "redis";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("cmd.name", name).string("cmd.key", key).string("cmd.value", value).bool("success", success)
                .string("reply.value", reply);
    }
}
