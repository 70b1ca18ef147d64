package dev.vigil.net.redis;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.RedisRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class RedisAnalyzerTest {

    static String bulk(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    static Transcript session() {
        return Transcript.of(
                orig(bulk("AUTH", "s3cret") + bulk("SET", "k", "v", "EX", "60") + bulk("GET", "k") + bulk("GET", "nope")),
                resp("+OK\r\n+OK\r\n$1\r\nv\r\n$-1\r\n"),
                orig("PING\r\nset \"a b\" 'c d'\r\n"),
                resp("+PONG\r\n+OK\r\n"),
                orig(bulk("LRANGE", "l", "0", "-1") + bulk("HGET", "h", "f") + bulk("INCR", "n")),
                resp("*3\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n$0\r\n\r\n-WRONGTYPE Operation against a key\r\n:7\r\n"),
                orig(bulk("HELLO", "3") + bulk("HGETALL", "h") + bulk("GET", "x")),
                resp("%1\r\n$6\r\nserver\r\n$5\r\nredis\r\n"
                        + "|1\r\n+ttl\r\n:100\r\n%1\r\n+f\r\n#t\r\n"
                        + ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
                        + "=9\r\ntxt:hello\r\n"),
                orig(bulk("CLIENT", "REPLY", "SKIP") + bulk("DEL", "k") + bulk("DEL", "m")),
                resp(":1\r\n"),
                orig(bulk("QUIT")),
                resp("+OK\r\n"));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new RedisProtocol().create(context));
        return context;
    }

    @Test
    void commandsPairWithRepliesAcrossPipelinesAndResp3() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new RedisProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(RedisRecord.class))
                .extracting(RedisRecord::name, RedisRecord::key, RedisRecord::value, RedisRecord::success, RedisRecord::reply)
                .containsExactly(
                        tuple("AUTH", null, null, true, "OK"),
                        tuple("SET", "k", "v", true, "OK"),
                        tuple("GET", "k", null, true, "v"),
                        tuple("GET", "nope", null, true, "(nil)"),
                        tuple("PING", null, null, true, "PONG"),
                        tuple("set", "a b", "c d", true, "OK"),
                        tuple("LRANGE", null, null, true, "[a, [1, 2], ]"),
                        tuple("HGET", "h", "f", false, "WRONGTYPE Operation against a key"),
                        tuple("INCR", "n", null, true, "7"),
                        tuple("HELLO", null, null, true, "[server, redis]"),
                        tuple("HGETALL", null, null, true, "[f, true]"),
                        tuple("GET", "x", null, true, "hello"),
                        tuple("CLIENT", null, null, null, null),
                        tuple("DEL", "k", null, null, null),
                        tuple("DEL", "m", null, true, "1"),
                        tuple("QUIT", null, null, true, "OK"));
        assertThat(context.anomalies).isEmpty();
        assertThat(context.toString()).doesNotContain("s3cret");
        assertThat(context.jsonWithoutTs().toString()).doesNotContain("s3cret");
    }

    @Test
    void subscribedModeRepliesAreOutOfBand() {
        CapturingContext context = run(Transcript.of(
                orig(bulk("SUBSCRIBE", "news")),
                resp("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n"),
                orig(bulk("RESET")),
                resp("+RESET\r\n"),
                orig(bulk("GET", "a")),
                resp("$1\r\nb\r\n")));
        assertThat(context.records(RedisRecord.class)).extracting(RedisRecord::name, RedisRecord::reply)
                .containsExactly(tuple("SUBSCRIBE", null), tuple("RESET", null), tuple("GET", "b"));
    }

    @Test
    void limitsAtLimitPlusOne() {
        String deep = "*1\r\n".repeat(RedisAnalyzer.MAX_DEPTH) + ":1\r\n";
        CapturingContext ok = run(Transcript.of(orig(bulk("GET", "a")), resp(deep)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(RedisRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.reply()).startsWith("[[[[").endsWith("1" + "]".repeat(32)));
        CapturingContext tooDeep = run(Transcript.of(orig(bulk("GET", "a")), resp("*1\r\n" + deep)));
        assertThat(tooDeep.anomalies).containsExactly("redis_bad_reply: aggregates nested deeper than 32; parsing stops");

        assertThat(run(Transcript.of(orig("*" + RedisAnalyzer.MAX_ARGUMENTS + "\r\n"))).anomalies).isEmpty();
        assertThat(run(Transcript.of(orig("*" + (RedisAnalyzer.MAX_ARGUMENTS + 1) + "\r\n"))).anomalies).containsExactly(
                "redis_bad_command: multi-bulk count 1048577 outside 0..1048576; parsing stops");
        assertThat(run(Transcript.of(orig("*1\r\n$" + RedisAnalyzer.MAX_BULK + "\r\n"))).anomalies).isEmpty();
        assertThat(run(Transcript.of(orig("*1\r\n$" + (RedisAnalyzer.MAX_BULK + 1) + "\r\n"))).anomalies).containsExactly(
                "redis_bad_command: bulk length 536870913 outside 0..536870912; parsing stops");

        String lineAtLimit = "ECHO " + "x".repeat(RedisAnalyzer.MAX_LINE - 7) + "\r\n";
        assertThat(lineAtLimit).hasSize(RedisAnalyzer.MAX_LINE);
        CapturingContext longLine = run(Transcript.of(orig(lineAtLimit)));
        assertThat(longLine.anomalies).isEmpty();
        assertThat(longLine.records(RedisRecord.class)).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("ECHO"));
        assertThat(run(Transcript.of(orig("ECHO " + "x".repeat(RedisAnalyzer.MAX_LINE - 6) + "\r\n"))).anomalies)
                .containsExactly("redis_bad_command: command line longer than 65536 bytes; parsing stops");
    }

    @Test
    void valuesAndRepliesAreCutAtTheirLimits() {
        String atLimit = "z".repeat(RedisAnalyzer.MAX_VALUE);
        String over = atLimit + "z";
        String big = "y".repeat(RedisAnalyzer.MAX_VALUE * 5);
        CapturingContext context = run(Transcript.of(
                orig(bulk("SET", "k", atLimit) + bulk("SET", "k", over) + bulk("GET", "k") + bulk("LRANGE", "l", "0", "-1")),
                resp("+OK\r\n+OK\r\n$" + big.length() + "\r\n" + big + "\r\n*3\r\n$" + atLimit.length() + "\r\n" + atLimit
                        + "\r\n$1\r\na\r\n$1\r\nb\r\n")));
        assertThat(context.records(RedisRecord.class)).extracting(r -> r.value() == null ? 0 : r.value().length(),
                r -> r.reply().length()).containsExactly(tuple(RedisAnalyzer.MAX_VALUE, 2), tuple(RedisAnalyzer.MAX_VALUE, 2),
                tuple(0, RedisAnalyzer.MAX_VALUE), tuple(0, RedisAnalyzer.MAX_REPLY));
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void pendingOverflow() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= RedisAnalyzer.MAX_PENDING; i++) {
            many.append(bulk("GET", "k" + i));
        }
        CapturingContext context = run(Transcript.of(orig(many.toString())));
        assertThat(context.anomalies).containsExactly(
                "redis_pending_overflow: 1024 commands await replies; the oldest (GET) is logged unanswered");
        assertThat(context.records(RedisRecord.class)).hasSize(RedisAnalyzer.MAX_PENDING + 1);
    }

    @Test
    void probes() {
        RedisProtocol p = new RedisProtocol();
        String[] matches = {bulk("PING"), "PING\r\n", "info server\r\n", "CONFIG GET *\r\n"};
        for (String m : matches) {
            byte[] b = m.getBytes(StandardCharsets.US_ASCII);
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 6379)).as(m).isEqualTo(Verdict.MATCH);
        }
        String[] others = {"GET / HTTP/1.1\r\n", "SSH-2.0-x\r\n", "*\r\n", "hello world\r\n", "*1\r\n+OK\r\n"};
        for (String o : others) {
            byte[] b = o.getBytes(StandardCharsets.US_ASCII);
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 6379)).as(o).isEqualTo(Verdict.NO_MATCH);
        }
        byte[] partial = "*3\r".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(partial), 0, partial.length, 6379)).isEqualTo(Verdict.NEED_MORE);
        byte[] ok = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(ok), 0, ok.length, 6379))
                .as("a reply never decides, but may be Redis").isEqualTo(Verdict.NEED_MORE);
        byte[] greeting = "220 mail.example.com ESMTP\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(greeting), 0, greeting.length, 6379))
                .isEqualTo(Verdict.NO_MATCH);
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x6379L * info.getCurrentRepetition(), 4, c -> new RedisProtocol().create(c),
                5);
    }
}
