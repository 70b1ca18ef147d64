package dev.vigil.net.mongodb;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static dev.vigil.net.mongodb.MongoMessages.concat;
import static dev.vigil.net.mongodb.MongoMessages.document;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.MongodbRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class MongodbAnalyzerTest {

    static Transcript session() {
        byte[] lsid = document("id", "00000000-0000-0000-0000-000000000000");
        return Transcript.of(
                orig(MongoMessages.msg(1, 0, 0, document("hello", 1, "client", document("driver", "java"), "$db", "admin"))),
                resp(MongoMessages.msg(100, 1, 0, document("isWritablePrimary", true, "ok", 1.0))),
                orig(concat(
                        MongoMessages.msg(2, 0, 0, document("find", "users", "filter", document("age", 30), "lsid", lsid,
                                "$db", "shop")),
                        MongoMessages.msg(3, 0, 0, document("insert", "orders", "$db", "shop")),
                        MongoMessages.msg(4, 0, 2, document("update", "stock", "$db", "shop")))),
                resp(concat(
                        MongoMessages.msg(101, 3, 0, document("ok", 0.0, "errmsg", "not authorized on shop", "code", 13)),
                        MongoMessages.msg(102, 2, 0, document("cursor", document("id", 0), "ok", 1.0)))),
                orig(MongoMessages.query(5, "admin.$cmd", document("isMaster", 1))),
                resp(MongoMessages.reply(103, 5, 0, document("ismaster", true, "ok", 1))),
                orig(MongoMessages.query(6, "shop.users", document("name", "x"))),
                resp(MongoMessages.reply(104, 6, 2, document("$err", "bad query"))),
                orig(MongoMessages.message(7, 0, MongodbAnalyzer.OP_INSERT,
                        Wire.create().i32le(0).cstring("shop.logs").bytes(document("a", 1)))),
                orig(MongoMessages.message(8, 0, MongodbAnalyzer.OP_COMPRESSED, Wire.create().i32le(MongodbAnalyzer.OP_MSG)
                        .i32le(64).u8(0).i32le(0).u8(0).bytes(document("ping", 1, "$db", "admin")))),
                resp(MongoMessages.message(105, 8, MongodbAnalyzer.OP_COMPRESSED, Wire.create().i32le(MongodbAnalyzer.OP_MSG)
                        .i32le(30).u8(0).i32le(0).u8(0).bytes(document("ok", 1.0)))),
                orig(MongoMessages.message(9, 0, MongodbAnalyzer.OP_COMPRESSED, Wire.create().i32le(MongodbAnalyzer.OP_MSG)
                        .i32le(64).u8(3).zeros(20))));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new MongodbProtocol().create(context));
        return context;
    }

    @Test
    void requestsPairWithRepliesByResponseTo() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new MongodbProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(MongodbRecord.class))
                .extracting(MongodbRecord::op, MongodbRecord::requestId, MongodbRecord::command, MongodbRecord::database,
                        MongodbRecord::collection, MongodbRecord::success, MongodbRecord::error)
                .containsExactly(
                        tuple("msg", 1L, "hello", "admin", null, true, null),
                        tuple("msg", 4L, "update", "shop", "stock", null, null),
                        tuple("msg", 3L, "insert", "shop", "orders", false, "not authorized on shop"),
                        tuple("msg", 2L, "find", "shop", "users", true, null),
                        tuple("query", 5L, "isMaster", "admin", null, true, null),
                        tuple("query", 6L, null, "shop", "users", false, "bad query"),
                        tuple("insert", 7L, null, "shop", "logs", null, null),
                        tuple("msg", 8L, "ping", "admin", null, true, null),
                        tuple("compressed", 9L, "zstd", null, null, null, null));
        assertThat(context.anomalies).isEmpty();
        assertThat(context.encrypted).isFalse();
    }

    @Test
    void flipsWhenTheServerSpokeFirst() {
        CapturingContext context = run(Transcript.of(
                orig(MongoMessages.msg(100, 1, 0, document("ok", 1.0))),
                resp(MongoMessages.msg(2, 0, 0, document("ping", 1, "$db", "admin"))),
                orig(MongoMessages.msg(101, 2, 0, document("ok", 1.0)))));
        assertThat(context.flips).isEqualTo(1);
        assertThat(context.records(MongodbRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.command()).isEqualTo("ping"));
    }

    @Test
    void messageSizeLimitAndCapture() {
        byte[] atLimit = Wire.create().i32le(MongodbAnalyzer.MAX_MESSAGE).i32le(1).i32le(0).i32le(MongodbAnalyzer.OP_MSG)
                .i32le(0).u8(0).bytes(document("insert", "big")).zeros(MongodbAnalyzer.MAX_CAPTURE).toByteArray();
        CapturingContext ok = run(Transcript.of(orig(atLimit)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(MongodbRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.command()).isEqualTo("insert");
            assertThat(r.database()).isNull();
        });
        byte[] over = Wire.create().i32le(MongodbAnalyzer.MAX_MESSAGE + 1).i32le(1).i32le(0).i32le(MongodbAnalyzer.OP_MSG)
                .toByteArray();
        assertThat(run(Transcript.of(orig(over))).anomalies).containsExactly(
                "mongodb_bad_message: message length 48000001 (16..48000000) opcode 2013; parsing stops");
    }

    @Test
    void databaseBeyondTheCapturedPrefixIsUnknown() {
        String filler = "f".repeat(MongodbAnalyzer.MAX_CAPTURE);
        byte[] near = MongoMessages.msg(1, 0, 0, document("find", "c", "filter", document("x", "y"), "$db", "d"));
        byte[] far = MongoMessages.msg(2, 0, 0, document("find", "c", "filter", document("x", filler), "$db", "d"));
        CapturingContext context = run(Transcript.of(orig(concat(near, far))));
        assertThat(context.records(MongodbRecord.class)).extracting(MongodbRecord::command, MongodbRecord::database)
                .containsExactly(tuple("find", "d"), tuple("find", null));
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void pendingAndTextLimits() {
        Wire many = Wire.create();
        for (int i = 0; i <= MongodbAnalyzer.MAX_PENDING; i++) {
            many.bytes(MongoMessages.msg(i + 1, 0, 0, document("ping", 1, "$db", "admin")));
        }
        CapturingContext context = run(Transcript.of(orig(many.toByteArray())));
        assertThat(context.anomalies).containsExactly(
                "mongodb_pending_overflow: 1024 requests await replies; the oldest (msg) is logged unanswered");
        assertThat(context.records).hasSize(MongodbAnalyzer.MAX_PENDING + 1);
        String name = "c".repeat(MongodbAnalyzer.MAX_TEXT);
        CapturingContext text = run(Transcript.of(orig(concat(
                MongoMessages.msg(1, 0, 2, document("find", name, "$db", "d")),
                MongoMessages.msg(2, 0, 2, document("find", name + "c", "$db", "d"))))));
        assertThat(text.records(MongodbRecord.class)).extracting(MongodbRecord::collection).containsExactly(name, name);
    }

    @Test
    void probes() {
        MongodbProtocol p = new MongodbProtocol();
        byte[] msg = MongoMessages.msg(1, 0, 0, document("ping", 1, "$db", "admin"));
        for (int n = 0; n < 25; n++) {
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(msg), 0, n, 27017)).as("%d bytes", n)
                    .isEqualTo(Verdict.NEED_MORE);
        }
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(msg), 0, msg.length, 27017)).isEqualTo(Verdict.MATCH);
        byte[] query = MongoMessages.query(1, "admin.$cmd", document("isMaster", 1));
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(query), 0, query.length, 30000)).isEqualTo(Verdict.MATCH);
        byte[] badFlags = MongoMessages.msg(1, 0, 0x100, document("ping", 1));
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(badFlags), 0, badFlags.length, 27017)).isEqualTo(Verdict.NO_MATCH);
        for (String other : new String[] {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n\r\n\r\n\r\n"}) {
            byte[] b = other.getBytes();
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 27017)).as(other).isEqualTo(Verdict.NO_MATCH);
        }
    }

    @Test
    void bsonWalkerStopsAtMalformedAndCutDocuments() {
        byte[] doc = document("a", "x", "b", 2, "c", document("d", 1.5));
        Bson ok = new Bson(MemorySegment.ofArray(doc), 0, doc.length);
        int n = 0;
        while (ok.next()) {
            n++;
        }
        assertThat(n).isEqualTo(3);
        assertThat(ok.malformed()).isFalse();
        Bson cut = new Bson(MemorySegment.ofArray(doc), 0, 12);
        assertThat(cut.next()).isTrue();
        assertThat(cut.string(100)).isEqualTo("x");
        assertThat(cut.next()).isFalse();
        assertThat(cut.malformed()).isFalse();
        byte[] lying = doc.clone();
        lying[7] = 0x7f;
        Bson bad = new Bson(MemorySegment.ofArray(lying), 0, lying.length);
        while (bad.next()) {
            bad.string(10);
        }
        assertThat(bad.malformed()).isTrue();
        byte[] longName = document("n".repeat(Bson.MAX_NAME + 1), 1);
        Bson tooLong = new Bson(MemorySegment.ofArray(longName), 0, longName.length);
        assertThat(tooLong.next()).isFalse();
        assertThat(tooLong.malformed()).isTrue();
        byte[] nameAtLimit = document("n".repeat(Bson.MAX_NAME), 1);
        assertThat(new Bson(MemorySegment.ofArray(nameAtLimit), 0, nameAtLimit.length).next()).isTrue();
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x27017L * info.getCurrentRepetition(), 4, c -> new MongodbProtocol().create(c),
                5);
    }
}
