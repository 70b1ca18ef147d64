package dev.vigil.net.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.RedisRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.PipelineFacts;
import dev.vigil.net.app.Transcript;
import dev.vigil.testkit.Requirements;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zeek's {@code redis/set.pcap} with its baseline ({@code Key: test Value: hi} …). */
class RedisConformanceTest {

    @Test
    void zeekSetCommands() throws Exception {
        Path pcaps = Requirements.corpora().resolve("pcaps");
        Transcript t = Transcript.ofCapture(pcaps.resolve("zeek/testing/btest/Traces/redis/set.pcap")).getFirst();
        byte[] first = t.bytes(Direction.ORIG);
        assertThat(new RedisProtocol().probe(Direction.ORIG, MemorySegment.ofArray(first), 0, first.length, 6379))
                .isEqualTo(Verdict.MATCH);
        t.assertSameEverywhere(c -> new RedisProtocol().create(c), CapturingContext::outcome, 1);
        PipelineFacts facts = PipelineFacts.of("zeek/testing/btest/Traces/redis/set.pcap");
        List<RedisRecord> records = facts.records(RedisRecord.class);
        assertThat(records).extracting(RedisRecord::name, RedisRecord::key, RedisRecord::value, RedisRecord::success,
                RedisRecord::reply).containsExactly(
                tuple("SET", "test", "hi", true, "OK"),
                tuple("SET", "one:1", "2", true, "OK"),
                tuple("SET", "two:2", "three", true, "OK"));
        List<String> baseline = Files.readAllLines(pcaps.resolve(
                "zeek/testing/btest/Baseline/scripts.base.protocols.redis.set/output")).stream()
                .filter(l -> l.startsWith("Key: ")).toList();
        assertThat(records.stream().map(r -> "Key: " + r.key() + " Value: " + r.value()).toList()).isEqualTo(baseline);
        assertThat(facts.conns()).singleElement().satisfies(c -> {
            assertThat(c.service()).isEqualTo("redis");
            assertThat(c.encrypted()).isFalse();
        });
        assertThat(facts.weirds()).isEmpty();
    }
}
