package dev.vigil.net.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.MongodbRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.PipelineFacts;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nDPI's {@code mongodb.pcap}: every flow appears on VLAN 50 and again on VLAN 100 or 300. The five
 * carrying payload (the client's first command; the server sent none) are MongoDB by content, port
 * 30000 included; the VLAN 50 copies have no payload and nDPI labels them by port or not at all.
 */
class MongodbConformanceTest {

    @Test
    void everyFlowWithPayloadIsMongodb() {
        String capture = "ndpi/pcap/mongodb.pcap";
        List<Transcript> flows = Transcript.ofCapture(Requirements.corpora().resolve("pcaps").resolve(capture))
                .stream().filter(t -> t.size() > 0).toList();
        assertThat(flows).hasSize(5);
        for (Transcript t : flows) {
            byte[] b = t.bytes(Direction.ORIG);
            assertThat(new MongodbProtocol().probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, t.id().respP()))
                    .as(t.id().toString()).isEqualTo(Verdict.MATCH);
            t.assertSameEverywhere(c -> new MongodbProtocol().create(c), CapturingContext::outcome, 1);
        }
        PipelineFacts facts = PipelineFacts.of(capture);
        assertThat(facts.conns()).hasSize(5).allSatisfy(c -> {
            assertThat(c.service()).isEqualTo("mongodb");
            assertThat(c.encrypted()).isFalse();
            assertThat(c.vlan()).isIn(100, 300);
        });
        assertThat(facts.weirds()).isEmpty();
        List<MongodbRecord> records = facts.records(MongodbRecord.class);
        assertThat(records).extracting(MongodbRecord::op, MongodbRecord::database, MongodbRecord::command,
                MongodbRecord::success).containsExactlyInAnyOrder(
                tuple("query", "admin", "ismaster", null),
                tuple("query", "abtest", "getnonce", null),
                tuple("query", "admin", "isMaster", null),
                tuple("query", "admin", "isMaster", null),
                tuple("query", "InactiveUserIdentity", "getnonce", null));
        assertThat(records).filteredOn(r -> r.id().respP() == 30000).singleElement()
                .satisfies(r -> assertThat(r.database()).isEqualTo("InactiveUserIdentity"));
    }
}
