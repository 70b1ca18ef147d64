package dev.vigil.net.mysql;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static dev.vigil.net.mysql.MysqlMessages.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.vigil.model.net.MysqlRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class MysqlAnalyzerTest {

    static Transcript session() {
        int caps = MysqlMessages.CAPABILITIES;
        return Transcript.of(
                resp(MysqlMessages.greeting("8.0.36", caps)),
                orig(MysqlMessages.login("app", caps)),
                resp(MysqlMessages.packet(2, Wire.create().u8(0x01).u8(0x03))),
                resp(MysqlMessages.ok(3, 0, 2)),
                orig(MysqlMessages.command(3, "select v from t")),
                resp(MysqlMessages.resultSet(3, 2)),
                orig(MysqlMessages.command(3, "call two_results()")),
                resp(concat(MysqlMessages.resultSet(1, 0x0008 | 2), MysqlMessages.resultSet(2, 2))),
                orig(MysqlMessages.command(3, "select * from nope")),
                resp(MysqlMessages.err(1, 1146, "Table 'db.nope' doesn't exist")),
                orig(MysqlMessages.command(22, "select ? from t")),
                resp(concat(MysqlMessages.packet(1, Wire.create().u8(0).i32le(5).u16le(1).u16le(1).u8(0).u16le(0)),
                        MysqlMessages.columnDef(2, "?"), MysqlMessages.eof(3, 2), MysqlMessages.columnDef(4, "v"),
                        MysqlMessages.eof(5, 2))),
                orig(MysqlMessages.packet(0, Wire.create().u8(23).i32le(5).u8(0).i32le(1))),
                resp(MysqlMessages.resultSet(1, 2)),
                orig(MysqlMessages.command(3, "load data local infile 'x' into table t")),
                resp(MysqlMessages.packet(1, Wire.create().u8(0xfb).ascii("x"))),
                orig(concat(MysqlMessages.packet(2, Wire.create().ascii("1\n2\n")), MysqlMessages.packet(3, Wire.create()))),
                resp(MysqlMessages.ok(4, 2, 2)),
                orig(MysqlMessages.command(14, "")),
                resp(MysqlMessages.ok(1, 0, 2)),
                orig(MysqlMessages.command(1, "")));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new MysqlProtocol().create(context));
        return context;
    }

    @Test
    void commandsAndTheirAnswers() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new MysqlProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        assertThat(context.records(MysqlRecord.class))
                .extracting(MysqlRecord::cmd, MysqlRecord::arg, MysqlRecord::success, MysqlRecord::rows,
                        MysqlRecord::response, MysqlRecord::resultRows)
                .containsExactly(
                        tuple("login", "app", true, 0L, null, null),
                        tuple("query", "select v from t", true, 0L, null, 3L),
                        tuple("query", "call two_results()", true, 0L, null, 3L),
                        tuple("query", "select * from nope", false, null, "Table 'db.nope' doesn't exist", null),
                        tuple("stmt_prepare", "select ? from t", true, 0L, null, null),
                        tuple("stmt_execute", "5", true, 0L, null, 1L),
                        tuple("query", "load data local infile 'x' into table t", true, 2L, null, null),
                        tuple("ping", "", true, 0L, null, null),
                        tuple("quit", "", null, null, null, null));
        assertThat(context.records(MysqlRecord.class).getFirst().serverVersion()).isEqualTo("8.0.36");
        assertThat(context.anomalies).isEmpty();
        assertThat(context.encrypted).isFalse();
    }

    @Test
    void packetsOfTheMaximumSizeContinueInTheNextPacket() {
        int caps = MysqlMessages.CAPABILITIES;
        byte[] big = new byte[MysqlAnalyzer.MAX_PAYLOAD];
        big[0] = 3;
        for (int i = 1; i < big.length; i++) {
            big[i] = 'x';
        }
        byte[] first = concat(Wire.create().u24le(MysqlAnalyzer.MAX_PAYLOAD).u8(0).toByteArray(), big);
        byte[] rest = MysqlMessages.packet(1, Wire.create().u8(0xfe).ascii("tail that is not a command"));
        CapturingContext context = run(Transcript.of(resp(MysqlMessages.greeting("8.0.36", caps)),
                orig(MysqlMessages.login("app", caps)), resp(MysqlMessages.ok(2, 0, 2)), orig(first), orig(rest),
                resp(MysqlMessages.ok(1, 1, 2))));
        assertThat(context.records(MysqlRecord.class)).element(1).satisfies(r -> {
            assertThat(r.cmd()).isEqualTo("query");
            assertThat(r.arg()).hasSize(MysqlAnalyzer.MAX_TEXT);
            assertThat(r.rows()).isEqualTo(1);
        });
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void argumentTextLimit() {
        int caps = MysqlMessages.CAPABILITIES;
        String atLimit = "select '" + "a".repeat(MysqlAnalyzer.MAX_TEXT - 9) + "'";
        String over = atLimit + " ";
        assertThat(atLimit).hasSize(MysqlAnalyzer.MAX_TEXT);
        CapturingContext context = run(Transcript.of(resp(MysqlMessages.greeting("8.0.36", caps)),
                orig(MysqlMessages.login("app", caps)), resp(MysqlMessages.ok(2, 0, 2)),
                orig(MysqlMessages.command(3, atLimit)), resp(MysqlMessages.ok(1, 0, 2)),
                orig(MysqlMessages.command(3, over)), resp(MysqlMessages.ok(1, 0, 2))));
        assertThat(context.records(MysqlRecord.class)).extracting(MysqlRecord::arg).containsExactly("app", atLimit, atLimit);
    }

    @Test
    void sslRequestHandsOverToTls() {
        int caps = MysqlMessages.CAPABILITIES | MysqlAnalyzer.CLIENT_SSL;
        byte[] sslRequest = MysqlMessages.packet(1, Wire.create().i32le(caps).i32le(1 << 24).u8(33).zeros(23));
        CapturingContext context = new CapturingContext();
        var analyzer = new MysqlProtocol().create(context);
        byte[] greeting = MysqlMessages.greeting("8.0.36", caps);
        analyzer.data(Direction.RESP, MemorySegment.ofArray(greeting), 0, greeting.length, 1);
        byte[] both = concat(sslRequest, dev.vigil.net.tls.TlsTestHellos.clientHelloRecord("db.example"));
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(both), 0, both.length, 2);
        context.switchedTo.end(3);
        assertThat(context.services).containsExactly("mysql", "ssl");
        assertThat(context.records(dev.vigil.model.net.SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.serverName()).isEqualTo("db.example"));
    }

    @Test
    void probes() {
        MysqlProtocol p = new MysqlProtocol();
        byte[] greeting = MysqlMessages.greeting("5.7.44-log", MysqlMessages.CAPABILITIES);
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(greeting), 0, greeting.length, 3306)).isEqualTo(Verdict.MATCH);
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(greeting), 0, 7, 3306)).isEqualTo(Verdict.NEED_MORE);
        byte[] login = MysqlMessages.login("root", MysqlMessages.CAPABILITIES);
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(login), 0, login.length, 3306)).isEqualTo(Verdict.MATCH);
        byte[] query = MysqlMessages.command(3, "SELECT 1");
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(query), 0, query.length, 3306)).isEqualTo(Verdict.MATCH);
        byte[] refused = MysqlMessages.packet(0, Wire.create().u8(0xff).u16le(1130)
                .ascii("Host '10.0.0.9' is not allowed to connect to this MySQL server"));
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(refused), 0, refused.length, 3306)).isEqualTo(Verdict.MATCH);
        for (String other : new String[] {"GET / HTTP/1.1\r\n\r\n", "SSH-2.0-x\r\n", "+OK\r\n"}) {
            byte[] b = other.getBytes();
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(b), 0, b.length, 3306)).as(other).isEqualTo(Verdict.NO_MATCH);
            assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(b), 0, b.length, 3306)).as(other).isEqualTo(Verdict.NO_MATCH);
        }
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x3306L * info.getCurrentRepetition(), 4, c -> new MysqlProtocol().create(c),
                7);
    }
}
