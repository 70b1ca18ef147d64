package dev.vigil.net.kafka;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.KafkaRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class KafkaAnalyzerTest {

    /** A classic (non-flexible) request: header v1 and {@code body}. */
    static byte[] request(int apiKey, int version, int correlation, String clientId, Wire body) {
        Wire w = Wire.create().u16(apiKey).u16(version).u32(correlation).prefixed(2, Wire.create().ascii(clientId))
                .bytes(body.toByteArray());
        return Wire.create().prefixed(4, w).toByteArray();
    }

    static byte[] response(int correlation, int bodyBytes) {
        return Wire.create().prefixed(4, Wire.create().u32(correlation).zeros(bodyBytes)).toByteArray();
    }

    static byte[] produce(int correlation, int acks, String topic, int recordBytes) {
        Wire body = Wire.create().u16(0xffff).u16(acks).u32(30000).u32(1).prefixed(2, Wire.create().ascii(topic))
                .u32(1).u32(0).prefixed(4, Wire.create().zeros(recordBytes));
        return request(0, 3, correlation, "app", body);
    }

    static Transcript session() {
        return Transcript.of(
                orig(request(18, 0, 1, "app", Wire.create())),
                resp(response(1, 300)),
                orig(request(3, 1, 2, "app", Wire.create().u32(2).prefixed(2, Wire.create().ascii("orders"))
                        .prefixed(2, Wire.create().ascii("audit"))).clone()),
                orig(produce(3, 1, "orders", 1500)),
                orig(produce(4, 0, "audit", 100)),
                resp(Wire.create().bytes(response(2, 80)).bytes(response(3, 40)).toByteArray()),
                orig(request(12, 0, 5, "app", Wire.create().prefixed(2, Wire.create().ascii("group")).u32(1)
                        .prefixed(2, Wire.create().ascii("member")))));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new KafkaProtocol().create(context));
        return context;
    }

    @Test
    void requestsPairWithResponsesAndAcksZeroIsNotAwaited() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new KafkaProtocol().create(c), CapturingContext::outcome, 3);
        CapturingContext context = run(t);
        assertThat(context.records(KafkaRecord.class))
                .extracting(KafkaRecord::apiKey, KafkaRecord::correlationId, KafkaRecord::topics, KafkaRecord::acks,
                        KafkaRecord::responseBytes)
                .containsExactly(
                        tuple("ApiVersions", 1, null, null, 304L),
                        tuple("Produce", 4, java.util.List.of("audit"), 0, null),
                        tuple("Metadata", 2, java.util.List.of("orders", "audit"), null, 84L),
                        tuple("Produce", 3, java.util.List.of("orders"), 1, 44L),
                        tuple("Heartbeat", 5, null, null, null));
        assertThat(context.anomalies).isEmpty();
        assertThat(context.encrypted).isFalse();
    }

    /**
     * As in nDPI's capture: the broker's response to correlation id 140 comes first. (A response with a
     * correlation id below 2^16 whose next bytes also read as a version and client id would pass for a
     * Produce request; such a capture is not flipped.)
     */
    @Test
    void flipsWhenTheBrokerSpokeFirst() {
        CapturingContext context = run(Transcript.of(orig(response(140, 20)), resp(request(18, 2, 141, "late", Wire.create())),
                orig(response(141, 30))));
        assertThat(context.flips).isEqualTo(1);
        assertThat(context.anomalies).containsExactly(
                "kafka_unmatched_response: response with correlation id 140 matches no pending request (0 pending)");
        assertThat(context.records(KafkaRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.apiKey()).isEqualTo("ApiVersions");
            assertThat(r.responseBytes()).isEqualTo(34);
        });
    }

    /** Responses pair by correlation id, so a gap in the requests leaves the responses readable. */
    @Test
    void gapInRequestsKeepsResponsesPairing() {
        CapturingContext context = new CapturingContext();
        var analyzer = new KafkaProtocol().create(context);
        byte[] request = request(18, 0, 1, "a", Wire.create());
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(request), 0, request.length, 1);
        analyzer.gap(Direction.ORIG, 50);
        byte[] response = response(1, 10);
        analyzer.data(Direction.RESP, MemorySegment.ofArray(response), 0, response.length, 2);
        analyzer.end(3);
        assertThat(context.anomalies).containsExactly("kafka_gap: 50 bytes missing from the client; its parsing stops");
        assertThat(context.records(KafkaRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.responseBytes()).isEqualTo(14));
    }

    @Test
    void sizeLimits() {
        byte[] atLimit = Wire.create().u32(KafkaAnalyzer.MAX_REQUEST).u16(0).u16(3).u32(1).u16(1).ascii("a").toByteArray();
        assertThat(run(Transcript.of(orig(atLimit))).anomalies).isEmpty();
        byte[] over = Wire.create().u32(KafkaAnalyzer.MAX_REQUEST + 1).u16(0).u16(3).u32(1).u16(1).ascii("a").toByteArray();
        assertThat(run(Transcript.of(orig(over))).anomalies).containsExactly(
                "kafka_bad_message: request size 104857601 outside 10..104857600; parsing stops");
        assertThat(run(Transcript.of(orig(request(18, 0, 1, "a", Wire.create())),
                resp(Wire.create().u32(KafkaAnalyzer.MAX_RESPONSE).u32(1).toByteArray()))).anomalies).isEmpty();
        assertThat(run(Transcript.of(orig(request(18, 0, 1, "a", Wire.create())),
                resp(Wire.create().u32(KafkaAnalyzer.MAX_RESPONSE + 1).u32(1).toByteArray()))).anomalies).containsExactly(
                "kafka_bad_message: response size 1073741825 outside 4..1073741824; parsing stops");
    }

    @Test
    void topicsBeyondTheLimitAreNotListed() {
        Wire body = Wire.create().u32(KafkaAnalyzer.MAX_TOPICS + 1);
        for (int i = 0; i <= KafkaAnalyzer.MAX_TOPICS; i++) {
            body.prefixed(2, Wire.create().ascii("t" + i));
        }
        CapturingContext context = run(Transcript.of(orig(request(3, 1, 1, "a", body))));
        assertThat(context.records(KafkaRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.topics()).hasSize(KafkaAnalyzer.MAX_TOPICS).startsWith("t0"));
    }

    @Test
    void clientIdAndCaptureLimits() {
        String id = "c".repeat(KafkaAnalyzer.MAX_TEXT);
        CapturingContext context = run(Transcript.of(orig(request(18, 0, 1, id, Wire.create())),
                orig(request(18, 0, 2, id + "c", Wire.create()))));
        assertThat(context.records(KafkaRecord.class)).extracting(KafkaRecord::clientId).containsExactly(id, id);
        Wire body = Wire.create().u32(2).prefixed(2, Wire.create().ascii("t".repeat(KafkaAnalyzer.MAX_CAPTURE - 20)))
                .prefixed(2, Wire.create().ascii("beyond"));
        CapturingContext cut = run(Transcript.of(orig(request(3, 1, 3, "a", body))));
        assertThat(cut.records(KafkaRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.topics()).hasSize(1).allSatisfy(t -> assertThat(t).startsWith("ttt")));
        assertThat(cut.anomalies).isEmpty();
    }

    @Test
    void pendingOverflow() {
        Wire many = Wire.create();
        for (int i = 0; i <= KafkaAnalyzer.MAX_PENDING; i++) {
            many.bytes(request(18, 0, i, "a", Wire.create()));
        }
        CapturingContext context = run(Transcript.of(orig(many.toByteArray())));
        assertThat(context.anomalies).containsExactly(
                "kafka_pending_overflow: 1024 requests await responses; the oldest (ApiVersions) is logged unanswered");
        assertThat(context.records).hasSize(KafkaAnalyzer.MAX_PENDING + 1);
    }

    @Test
    void probes() {
        KafkaProtocol p = new KafkaProtocol();
        byte[] req = request(18, 3, 1, "console-producer", Wire.create());
        for (int n = 0; n < 14 + 16; n++) {
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(req), 0, n, 9092)).as("%d bytes", n)
                    .isEqualTo(Verdict.NEED_MORE);
        }
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(req), 0, req.length, 9092)).isEqualTo(Verdict.MATCH);
        byte[] startup = {0, 0, 0, 0x26, 0, 3, 0, 0, 'u', 's', 'e', 'r', 0, 'o', 'r', 'y', 'x', 0};
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(startup), 0, startup.length, 9092)).isEqualTo(Verdict.NO_MATCH);
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes();
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(http), 0, http.length, 9092)).isEqualTo(Verdict.NO_MATCH);
        byte[] badKey = request(999, 0, 1, "x", Wire.create());
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(badKey), 0, badKey.length, 9092)).isEqualTo(Verdict.NO_MATCH);
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x9092L * info.getCurrentRepetition(), 4, c -> new KafkaProtocol().create(c),
                11);
    }
}
