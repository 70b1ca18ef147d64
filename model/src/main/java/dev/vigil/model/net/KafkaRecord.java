package dev.vigil.model.net;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;

/**
 * One Kafka request and whether its response came ({@code kafka} log; Zeek has none, so the names
 * are Kafka's own): the API by name and version, the correlation and client ids, the topics of
 * Produce, Fetch and Metadata requests (topic ids where the request carries ids instead of names), and
 * the response size once the broker answered.
 *
 * @param topics null when the request names no topics (a Metadata request for all topics included)
 * @param acks the Produce acknowledgement mode (0: no response expected, 1, -1: all replicas)
 */
public record KafkaRecord(double ts, String uid, ConnId id, String apiKey, int apiVersion, int correlationId,
        String clientId, List<String> topics, Integer acks, Long responseBytes) implements LogRecord {

    public KafkaRecord {
        topics = topics == null ? null : List.copyOf(topics);
    }

    @Override
    public String log() {
        return "kafka";
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.string("uid", uid);
        id.writeTo(sink);
        sink.string("api_key", apiKey).number("api_version", apiVersion).number("correlation_id", correlationId)
                .string("client_id", clientId).strings("topics", topics)
                .number("acks", acks == null ? null : Long.valueOf(acks)).number("response_bytes", responseBytes);
    }
}
