package dev.vigil.net.stratum;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.StratumRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class StratumAnalyzerTest {

    /** A Stratum v1 (Bitcoin-style) session as cpuminer/cgminer speak it. */
    static Transcript bitcoinSession() {
        return Transcript.of(
                orig("{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cgminer/4.10.0\"]}\n"),
                resp("{\"id\":1,\"result\":[[[\"mining.set_difficulty\",\"b4b6693b72a50c7116db18d6497cac52\"],"
                        + "[\"mining.notify\",\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4],\"error\":null}\n"
                        + "{\"id\":null,\"method\":\"mining.set_difficulty\",\"params\":[32]}\n"),
                orig("{\"params\": [\"slush.miner1\", \"password\"], \"id\": 2, \"method\": \"mining.authorize\"}\n"),
                resp("{\"error\": null, \"id\": 2, \"result\": true}\n{\"params\": [\"bf\", \"4d16b6f85af6e2198f44ae2a6de67f78487ae"
                        + "5611b77c6c0440b921e00000000\", \"01000000\", \"ffffffff\", [], \"00000002\", \"1c2ac4af\", "
                        + "\"504e86b9\", false], \"id\": null, \"method\": \"mining.notify\"}\n"),
                orig("{\"params\": [\"slush.miner1\", \"bf\", \"00000001\", \"504e86ed\", \"b2957c02\"], \"id\": 4, "
                        + "\"method\": \"mining.submit\"}\r\n{\"params\": [\"slush.miner1\", \"bf\", \"00000002\", "
                        + "\"504e86ed\", \"b2957c03\"], \"id\": 5, \"method\": \"mining.submit\"}\r\n"),
                resp("{\"error\": null, \"id\": 4, \"result\": true}\n{\"error\": [23, \"Low difficulty share\", null], "
                        + "\"id\": 5, \"result\": null}\n"),
                orig("{\"id\": 6, \"method\": \"mining.authorize\", \"params\": [\"slush.miner2\", \"x\"]}\n"),
                resp("{\"id\": 6, \"result\": false, \"error\": [24, \"Unauthorized worker\", null]}\n"));
    }

    /** XMRig speaking Monero's Stratum variant. */
    static Transcript xmrigSession() {
        return Transcript.of(
                orig("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"48edfHu7V9Z84YzzMa6fUueoELZ9Zq"
                        + "ZnW3jMxWBtkXNpjAgsp9L\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\","
                        + "\"algo\":[\"rx/0\",\"cn/r\"]}}\n"),
                resp("{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"3f2a\",\"job\":{\"blob\":\"0e0e\","
                        + "\"job_id\":\"1\",\"target\":\"b88d0600\",\"algo\":\"rx/0\"},\"status\":\"OK\"}}\n"),
                resp("{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"0e0f\",\"job_id\":\"2\"}}\n"),
                orig("{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"3f2a\",\"job_id\":\"2\","
                        + "\"nonce\":\"b0000000\",\"result\":\"aa\"}}\n"),
                orig("{\"id\":3,\"jsonrpc\":\"2.0\",\"method\":\"keepalived\",\"params\":{\"id\":\"3f2a\"}}\n"),
                resp("{\"id\":2,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":\"OK\"}}\n"));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new StratumProtocol().create(context));
        return context;
    }

    @Test
    void bitcoinStyleSubscribeAuthorizeAndCountedShares() {
        Transcript t = bitcoinSession();
        t.assertSameEverywhere(c -> new StratumProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(StratumRecord.class))
                .extracting(StratumRecord::method, StratumRecord::user, StratumRecord::agent, StratumRecord::success,
                        StratumRecord::error, StratumRecord::submits)
                .containsExactly(
                        tuple("mining.subscribe", null, "cgminer/4.10.0", true, null, 0L),
                        tuple("mining.authorize", "slush.miner1", "cgminer/4.10.0", true, null, 0L),
                        tuple("mining.authorize", "slush.miner2", "cgminer/4.10.0", false, "Unauthorized worker", 2L));
        assertThat(context.jsonWithoutTs().toString()).doesNotContain("password");
        assertThat(context.services).containsExactly("stratum");
        assertThat(context.encrypted).isFalse();
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void xmrigLoginWithWalletAndAgent() {
        Transcript t = xmrigSession();
        t.assertSameEverywhere(c -> new StratumProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(StratumRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("login");
            assertThat(r.user()).startsWith("48edfHu7V9Z84");
            assertThat(r.agent()).startsWith("XMRig/6.21.0");
            assertThat(r.success()).isTrue();
        });
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void lineLimitSkipsToTheNextLine() {
        String atLimit = "{\"id\":9,\"method\":\"mining.extranonce.subscribe\",\"params\":[],\"pad\":\""
                + "p".repeat(StratumAnalyzer.MAX_LINE - 70) + "\"}";
        atLimit = atLimit + " ".repeat(StratumAnalyzer.MAX_LINE - 1 - atLimit.length()) + "\n";
        assertThat(atLimit).hasSize(StratumAnalyzer.MAX_LINE);
        CapturingContext ok = run(Transcript.of(orig(atLimit)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(StratumRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.method()).isEqualTo("mining.extranonce.subscribe"));
        String over = atLimit.substring(0, atLimit.length() - 1) + " \n";
        CapturingContext skipped = run(Transcript.of(orig(over + "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n")));
        assertThat(skipped.anomalies).containsExactly("stratum_line_too_long: a miner line exceeds 16384 bytes; skipped to its end");
        assertThat(skipped.records(StratumRecord.class)).extracting(StratumRecord::method).containsExactly("mining.subscribe");
    }

    @Test
    void nestingLimit() {
        String deep = "[".repeat(JsonRpc.MAX_DEPTH + 1) + "]".repeat(JsonRpc.MAX_DEPTH + 1);
        String ok = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"a\"],\"x\":" + deep + "}\n";
        assertThat(run(Transcript.of(orig(ok))).anomalies).isEmpty();
        String tooDeep = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"a\"],\"x\":[" + deep + "]}\n";
        assertThat(run(Transcript.of(orig(tooDeep))).anomalies).containsExactly(
                "stratum_bad_message: a miner line is not a JSON object");
    }

    @Test
    void pendingAndTextLimits() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= StratumAnalyzer.MAX_PENDING; i++) {
            many.append("{\"id\":").append(i).append(",\"method\":\"mining.subscribe\",\"params\":[]}\n");
        }
        CapturingContext context = run(Transcript.of(orig(many.toString())));
        assertThat(context.anomalies).containsExactly(
                "stratum_pending_overflow: 64 requests await answers; the oldest (mining.subscribe) is logged unanswered");
        assertThat(context.records).hasSize(StratumAnalyzer.MAX_PENDING + 1);
        String agent = "a".repeat(JsonRpc.MAX_TEXT);
        CapturingContext text = run(Transcript.of(orig(
                "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"" + agent + "\"]}\n"
                + "{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"" + agent + "b\"]}\n")));
        assertThat(text.records(StratumRecord.class)).extracting(StratumRecord::agent).containsExactly(agent, agent);
    }

    @Test
    void probes() {
        StratumProtocol p = new StratumProtocol();
        String[] miners = {"{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": []}\n",
                "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"w\",\"pass\":\"x\",\"agent\":\"a\"}}\n",
                "{\"worker\": \"rig\", \"id\": 1, \"method\": \"eth_submitLogin\", \"params\": [\"0xabc\"]}\n"};
        for (String m : miners) {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 3333)).as(m).isEqualTo(Verdict.MATCH);
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length - 1, 3333)).isEqualTo(Verdict.NEED_MORE);
        }
        String[] others = {"{\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"user\":\"bob\"}}\n",
                "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":1}\n", "GET / HTTP/1.1\r\n"};
        for (String o : others) {
            byte[] b = o.getBytes(StandardCharsets.UTF_8);
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 3333)).as(o).isEqualTo(Verdict.NO_MATCH);
        }
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        (info.getCurrentRepetition() % 2 == 0 ? bitcoinSession() : xmrigSession()).assertMutationsSafe(0x3333L * info.getCurrentRepetition(), 3, c -> new StratumProtocol().create(c),
                5);
    }
}
