package dev.vigil.net.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.KafkaRecord;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own message classes (kafka-clients) encode requests of every API key and version; the
 * analyzer must read back exactly what was encoded. This pins the name and flexible-version tables
 * and the topic parsing of Produce, Fetch and Metadata across the classic and compact encodings.
 */
class KafkaClientEncodingTest {

    private static final Uuid TOPIC_ID = Uuid.fromString("v1gilTopicIdAAAAAAAAAA");

    @Test
    void namesAndFlexibleVersionsMatchKafka() {
        for (ApiKeys api : ApiKeys.values()) {
            assertThat(KafkaApis.name(api.id)).as("api %d", api.id).isEqualTo(api.name);
            for (short v = api.oldestVersion(); v <= api.latestVersion(true); v++) {
                assertThat(KafkaApis.flexible(api.id, v)).as("%s v%d", api.name, v)
                        .isEqualTo(api.requestHeaderVersion(v) >= 2);
                assertThat(v).isLessThanOrEqualTo((short) KafkaApis.MAX_VERSION);
            }
        }
    }

    @Test
    void everyApiKeyKafkaDefinesIsInTheTable() {
        for (ApiKeys api : ApiKeys.values()) {
            assertThat((int) api.id).isLessThan(KafkaApis.count());
        }
    }

    @Test
    void everyRequestHeaderVersionReadsBack() {
        int correlation = 1;
        for (ApiKeys api : ApiKeys.values()) {
            for (short v = api.oldestVersion(); v <= api.latestVersion(true); v++) {
                if (api.requestHeaderVersion(v) < 1) {
                    continue;
                }
                KafkaRecord r = analyze(frame(api, v, correlation, "vigil-client", null));
                assertThat(r.apiKey()).isEqualTo(api.name);
                assertThat(r.apiVersion()).isEqualTo(v);
                assertThat(r.correlationId()).isEqualTo(correlation);
                assertThat(r.clientId()).isEqualTo("vigil-client");
                correlation++;
            }
        }
    }

    @Test
    void produceTopicsInEveryVersion() {
        for (short v = ApiKeys.PRODUCE.oldestVersion(); v <= ApiKeys.PRODUCE.latestVersion(true); v++) {
            ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30000);
            for (String name : List.of("orders", "payments")) {
                ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(name)
                        .setTopicId(TOPIC_ID);
                topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(3)
                        .setRecords(org.apache.kafka.common.record.internal.MemoryRecords.EMPTY));
                data.topicData().add(topic);
            }
            KafkaRecord r = analyze(frame(ApiKeys.PRODUCE, v, 7, "producer", data));
            String expected = v >= 13 ? TOPIC_ID.toString() : "orders";
            assertThat(r.topics()).as("Produce v%d", v).startsWith(expected).hasSize(2);
            assertThat(r.acks()).isEqualTo(-1);
        }
    }

    @Test
    void fetchTopicsInEveryVersion() {
        for (short v = ApiKeys.FETCH.oldestVersion(); v <= ApiKeys.FETCH.latestVersion(true); v++) {
            FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1)
                    .setMaxBytes(1 << 20);
            for (String name : List.of("orders", "audit")) {
                data.topics().add(new FetchRequestData.FetchTopic().setTopic(name).setTopicId(TOPIC_ID)
                        .setPartitions(new ArrayList<>(List.of(new FetchRequestData.FetchPartition().setPartition(0),
                                new FetchRequestData.FetchPartition().setPartition(1)))));
            }
            KafkaRecord r = analyze(frame(ApiKeys.FETCH, v, 8, "consumer", data));
            List<String> expected = v >= 13 ? List.of(TOPIC_ID.toString(), TOPIC_ID.toString()) : List.of("orders", "audit");
            assertThat(r.topics()).as("Fetch v%d", v).isEqualTo(expected);
        }
    }

    @Test
    void metadataTopicsInEveryVersion() {
        for (short v = ApiKeys.METADATA.oldestVersion(); v <= ApiKeys.METADATA.latestVersion(true); v++) {
            MetadataRequestData data = new MetadataRequestData();
            data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("orders").setTopicId(Uuid.ZERO_UUID));
            KafkaRecord r = analyze(frame(ApiKeys.METADATA, v, 9, "admin", data));
            assertThat(r.topics()).as("Metadata v%d", v).containsExactly("orders");
            if (v >= 1) {
                KafkaRecord all = analyze(frame(ApiKeys.METADATA, v, 10, "admin", new MetadataRequestData().setTopics(null)));
                assertThat(all.topics()).as("Metadata v%d for all topics", v).isNull();
            }
        }
    }

    /** Size prefix, request header of the version Kafka uses for this API version, body (or a dummy one). */
    static byte[] frame(ApiKeys api, short version, int correlation, String clientId, ApiMessage body) {
        short headerVersion = api.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlation).setClientId(clientId);
        byte[] h = encode(header, headerVersion);
        byte[] b = body == null ? new byte[] {0, 0, 0, 0} : encode(body, version);
        ByteBuffer out = ByteBuffer.allocate(4 + h.length + b.length);
        out.putInt(h.length + b.length).put(h).put(b);
        return out.array();
    }

    private static byte[] encode(ApiMessage message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.array();
    }

    private static KafkaRecord analyze(byte[] request) {
        CapturingContext context = new CapturingContext();
        var analyzer = new KafkaProtocol().create(context);
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(request), 0, request.length, 1);
        analyzer.end(2);
        assertThat(context.anomalies).isEmpty();
        return context.records(KafkaRecord.class).getFirst();
    }
}
