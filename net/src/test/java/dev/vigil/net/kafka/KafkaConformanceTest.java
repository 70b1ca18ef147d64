package dev.vigil.net.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.KafkaRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nDPI's {@code kafka.pcapng}: nine flows, all Kafka and clear text (eight by DPI, one by port: a flow
 * whose capture starts with the broker's responses, which Vigil recognises by the client's request and
 * flips).
 */
class KafkaConformanceTest {

    @Test
    void allNineFlowsAreKafka() {
        List<Transcript> flows = Transcript.ofCapture(Requirements.corpora().resolve("pcaps/ndpi/pcap/kafka.pcapng"))
                .stream().filter(t -> t.size() > 0).toList();
        assertThat(flows).hasSize(9);
        int flipped = 0;
        for (Transcript t : flows) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
            t.assertSameEverywhere(c -> new KafkaProtocol().create(c), CapturingContext::outcome, Math.max(1, t.size() / 1500));
            CapturingContext context = new CapturingContext(t.id());
            t.feed(context, new KafkaProtocol().create(context));
            assertThat(context.services).as(t.id().toString()).containsExactly("kafka");
            assertThat(context.encrypted).isFalse();
            List<KafkaRecord> records = context.records(KafkaRecord.class);
            assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.id().respP()).isEqualTo(9092));
            flipped += context.flips;
            if (t.id().origP() == 46136) {
                assertThat(records).extracting(KafkaRecord::apiKey)
                        .containsExactly("ApiVersions", "InitProducerId", "Metadata", "Produce");
                assertThat(records.getLast()).satisfies(r -> {
                    assertThat(r.clientId()).isEqualTo("console-producer");
                    assertThat(r.topics()).containsExactly("sampleTopic");
                    assertThat(r.apiVersion()).isEqualTo(9);
                    assertThat(r.responseBytes()).isEqualTo(58);
                });
            } else {
                assertThat(records).allSatisfy(r -> assertThat(r.clientId()).isEqualTo("rdkafka"));
                assertThat(records).filteredOn(r -> r.topics() != null).allSatisfy(
                        r -> assertThat(r.topics()).containsExactly("LB_MAIN_LOG_INPUT"));
            }
        }
        assertThat(flipped).isEqualTo(1);
    }

    static Verdict probe(Transcript t) {
        KafkaProtocol p = new KafkaProtocol();
        Verdict result = Verdict.NO_MATCH;
        for (Direction d : Direction.values()) {
            byte[] b = t.bytes(d);
            Verdict v = p.probe(d, MemorySegment.ofArray(b), 0, Math.min(b.length, 4096), 9092);
            if (v == Verdict.MATCH) {
                return v;
            }
            if (v == Verdict.NEED_MORE) {
                result = v;
            }
        }
        return result;
    }
}
