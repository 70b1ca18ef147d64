package dev.vigil.net.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.KafkaRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.PipelineFacts;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nDPI's {@code kafka.pcapng}: nine flows, all Kafka and clear text (eight by DPI, one by port: a flow
 * whose capture starts with the broker's responses, which Vigil recognises by the client's request),
 * through the pipeline; their TCP payloads also fed in pieces must give the same. Two flows idle for
 * five minutes are split by the flow table's inactivity timeout, as in Zeek; a part that holds only
 * the broker's responses carries nothing that identifies Kafka.
 */
class KafkaConformanceTest {

    @Test
    void allNineFlowsAreKafka() {
        String capture = "ndpi/pcap/kafka.pcapng";
        List<Transcript> flows = Transcript.ofCapture(Requirements.corpora().resolve("pcaps").resolve(capture))
                .stream().filter(t -> t.size() > 0).toList();
        assertThat(flows).hasSize(9);
        for (Transcript t : flows) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
            t.assertSameEverywhere(c -> new KafkaProtocol().create(c), CapturingContext::outcome, Math.max(1, t.size() / 1500));
        }
        PipelineFacts facts = PipelineFacts.of(capture);
        assertThat(facts.conns()).allSatisfy(c -> assertThat(c.id().respP()).isEqualTo(9092));
        assertThat(facts.conns().stream().filter(c -> "kafka".equals(c.service())).map(c -> c.id()).distinct())
                .as("every flow nDPI lists").hasSize(9);
        assertThat(facts.conns()).allSatisfy(c -> {
            if (c.origBytes() > 0) {
                assertThat(c.service()).isEqualTo("kafka");
                assertThat(c.encrypted()).isFalse();
            } else {
                assertThat(c.service()).as("broker bytes alone after an idle split cannot be told").isNull();
            }
        });
        List<KafkaRecord> records = facts.records(KafkaRecord.class);
        assertThat(records).extracting(KafkaRecord::uid).containsAll(
                facts.conns().stream().filter(c -> "kafka".equals(c.service())).map(c -> c.uid()).toList());
        assertThat(records).allSatisfy(r -> assertThat(r.id().respP()).isEqualTo(9092));
        List<KafkaRecord> console = records.stream().filter(r -> r.id().origP() == 46136).toList();
        assertThat(console).extracting(KafkaRecord::apiKey).containsExactly("ApiVersions", "InitProducerId", "Metadata", "Produce");
        assertThat(console.getLast()).satisfies(r -> {
            assertThat(r.clientId()).isEqualTo("console-producer");
            assertThat(r.topics()).containsExactly("sampleTopic");
            assertThat(r.apiVersion()).isEqualTo(9);
            assertThat(r.responseBytes()).isEqualTo(58);
        });
        List<KafkaRecord> rdkafka = records.stream().filter(r -> r.id().origP() != 46136).toList();
        assertThat(rdkafka).allSatisfy(r -> assertThat(r.clientId()).isEqualTo("rdkafka"));
        assertThat(rdkafka).filteredOn(r -> r.topics() != null)
                .allSatisfy(r -> assertThat(r.topics()).containsExactly("LB_MAIN_LOG_INPUT"));
    }

    static Verdict probe(Transcript t) {
        return t.probe(new KafkaProtocol(), 9092);
    }
}
