package dev.vigil.net.postgresql;

import static dev.vigil.net.app.Transcript.orig;
import static dev.vigil.net.app.Transcript.resp;
import static dev.vigil.net.postgresql.PgMessages.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PostgresqlAnalyzerTest {

    static Transcript session() {
        return Transcript.of(
                orig(PgMessages.startup("user", "app", "database", "orders", "application_name", "api")),
                resp(concat(PgMessages.auth(5).clone(), new byte[0])),
                orig(PgMessages.message('p', Wire.create().cstring("md5abc"))),
                resp(concat(PgMessages.auth(0), PgMessages.parameter("server_version", "16.2"), PgMessages.ready('I'))),
                orig(PgMessages.query("select 1; select 2")),
                resp(concat(PgMessages.dataRow(), PgMessages.complete("SELECT 1"), PgMessages.dataRow(),
                        PgMessages.complete("SELECT 1"), PgMessages.ready('I'))),
                orig(concat(PgMessages.parse("s1", "insert into t values ($1)"), PgMessages.bind("", "s1"),
                        PgMessages.execute(""), PgMessages.parse("", "selec broken"), PgMessages.bind("", ""),
                        PgMessages.execute(""), PgMessages.sync())),
                resp(concat(PgMessages.parseComplete(), PgMessages.bindComplete(), PgMessages.complete("INSERT 0 3"),
                        PgMessages.error("42601", "syntax error at or near \"selec\""), PgMessages.ready('I'))),
                orig(PgMessages.query("select * from missing")),
                resp(concat(PgMessages.error("42P01", "relation \"missing\" does not exist"), PgMessages.ready('I'))),
                orig(PgMessages.terminate()));
    }

    private static CapturingContext run(Transcript t) {
        CapturingContext context = new CapturingContext();
        t.feed(context, new PostgresqlProtocol().create(context));
        return context;
    }

    @Test
    void loginSimpleAndExtendedQueries() {
        Transcript t = session();
        t.assertSameEverywhere(c -> new PostgresqlProtocol().create(c), CapturingContext::outcome, 1);
        CapturingContext context = run(t);
        List<PostgresqlRecord> records = context.records(PostgresqlRecord.class);
        assertThat(records).extracting(PostgresqlRecord::frontend, PostgresqlRecord::frontendArg, PostgresqlRecord::success,
                PostgresqlRecord::rows).containsExactly(
                tuple("startup", null, true, null),
                tuple("simple_query", "select 1; select 2", true, 2L),
                tuple("execute", "insert into t values ($1)", true, 3L),
                tuple("parse", "selec broken", false, null),
                tuple("execute", "selec broken", false, null),
                tuple("simple_query", "select * from missing", false, null),
                tuple("terminate", null, null, null));
        assertThat(records.getFirst()).satisfies(r -> {
            assertThat(r.user()).isEqualTo("app");
            assertThat(r.database()).isEqualTo("orders");
            assertThat(r.applicationName()).isEqualTo("api");
            assertThat(r.backendArg()).isEqualTo("MD5Password");
            assertThat(r.serverVersion()).isEqualTo("16.2");
        });
        assertThat(records.get(3).backendArg()).isEqualTo(
                "SeverityLocalized=ERROR,Code=42601,Message=syntax error at or near \"selec\"");
        assertThat(records.get(4).backend()).isEqualTo("skipped");
        assertThat(records.get(5).backend()).isEqualTo("error");
        assertThat(context.encrypted).isFalse();
        assertThat(context.anomalies).isEmpty();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    @Test
    void acceptedSslRequestHandsTheConnectionToTls() {
        byte[] clientHello = dev.vigil.net.tls.TlsTestHellos.clientHelloRecord("db.internal");
        CapturingContext context = new CapturingContext();
        var analyzer = new PostgresqlProtocol().create(context);
        byte[] ssl = PgMessages.sslRequest();
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(ssl), 0, ssl.length, 1);
        byte[] yes = {'S'};
        analyzer.data(Direction.RESP, MemorySegment.ofArray(yes), 0, 1, 2);
        assertThat(context.switchedTo).isNotNull();
        context.switchedTo.data(Direction.ORIG, MemorySegment.ofArray(clientHello), 0, clientHello.length, 3);
        context.switchedTo.end(4);
        assertThat(context.records(PostgresqlRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.frontend()).isEqualTo("ssl_request");
            assertThat(r.backendArg()).isEqualTo("S");
            assertThat(r.success()).isTrue();
        });
        assertThat(context.records(SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.serverName()).isEqualTo("db.internal"));
        assertThat(context.services).containsExactly("postgresql", "ssl");
    }

    @Test
    void bytesAfterTheSslAnswerInTheSameCallGoToTls() {
        byte[] serverHello = dev.vigil.net.tls.TlsTestHellos.serverHelloRecord();
        CapturingContext context = new CapturingContext();
        var analyzer = new PostgresqlProtocol().create(context);
        byte[] ssl = PgMessages.sslRequest();
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(ssl), 0, ssl.length, 1);
        byte[] answer = concat(new byte[] {'S'}, serverHello);
        analyzer.data(Direction.RESP, MemorySegment.ofArray(answer), 0, answer.length, 2);
        context.switchedTo.end(3);
        assertThat(context.records(SslRecord.class)).singleElement()
                .satisfies(r -> assertThat(r.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256"));
    }

    /** Answers pair with requests by order only, so a gap on one side stops both. */
    @Test
    void gapStopsBothSides() {
        CapturingContext context = new CapturingContext();
        var analyzer = new PostgresqlProtocol().create(context);
        byte[] startup = PgMessages.startup("user", "u");
        analyzer.data(Direction.ORIG, MemorySegment.ofArray(startup), 0, startup.length, 1);
        analyzer.gap(Direction.ORIG, 300);
        byte[] ok = concat(PgMessages.auth(0), PgMessages.ready('I'));
        analyzer.data(Direction.RESP, MemorySegment.ofArray(ok), 0, ok.length, 2);
        analyzer.end(3);
        assertThat(context.anomalies).containsExactly("postgresql_gap: 300 bytes missing from the frontend; its parsing stops");
        assertThat(context.records(PostgresqlRecord.class)).singleElement().satisfies(r -> {
            assertThat(r.frontend()).isEqualTo("startup");
            assertThat(r.success()).as("the answer after the gap was not read").isNull();
        });
    }

    @Test
    void startupLengthLimit() {
        String pad = "x".repeat(PostgresqlAnalyzer.MAX_STARTUP_LENGTH - 25);
        byte[] atLimit = PgMessages.startup("user", "u", "options", pad);
        assertThat(atLimit).hasSize(PostgresqlAnalyzer.MAX_STARTUP_LENGTH);
        assertThat(new PostgresqlProtocol().probe(Direction.ORIG, MemorySegment.ofArray(atLimit), 0, atLimit.length, 1))
                .isEqualTo(Verdict.MATCH);
        CapturingContext ok = run(Transcript.of(orig(atLimit)));
        assertThat(ok.anomalies).isEmpty();
        assertThat(ok.records(PostgresqlRecord.class)).singleElement().satisfies(r -> assertThat(r.user()).isEqualTo("u"));
        byte[] over = PgMessages.startup("user", "u", "options", pad + "x");
        assertThat(new PostgresqlProtocol().probe(Direction.ORIG, MemorySegment.ofArray(over), 0, over.length, 1))
                .isEqualTo(Verdict.NO_MATCH);
        assertThat(run(Transcript.of(orig(over))).anomalies).containsExactly(
                "postgresql_bad_startup: startup packet length 10001 outside 8..10000; parsing stops");
    }

    @Test
    void longQueriesAreCutAndTheRestSkipped() {
        String longQuery = "select '" + "y".repeat(PostgresqlAnalyzer.MAX_CAPTURE * 3) + "'";
        CapturingContext context = run(Transcript.of(orig(PgMessages.startup("user", "u")),
                resp(concat(PgMessages.auth(0), PgMessages.ready('I'))), orig(PgMessages.query(longQuery)),
                resp(concat(PgMessages.dataRow(), PgMessages.complete("SELECT 1"), PgMessages.ready('I')))));
        assertThat(context.records(PostgresqlRecord.class)).element(1).satisfies(r -> {
            assertThat(r.frontendArg()).hasSize(PostgresqlAnalyzer.MAX_TEXT).startsWith("select 'yyy");
            assertThat(r.rows()).isEqualTo(1);
        });
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void preparedStatementsBeyondTheLimitAreForgottenOldestFirst() {
        java.util.List<Transcript.Segment> segments = new java.util.ArrayList<>(java.util.List.of(
                orig(PgMessages.startup("user", "u")), resp(concat(PgMessages.auth(0), PgMessages.ready('I')))));
        for (int i = 0; i <= PostgresqlAnalyzer.MAX_STATEMENTS; i++) {
            segments.add(orig(concat(PgMessages.parse("s" + i, "select " + i), PgMessages.sync())));
            segments.add(resp(concat(PgMessages.parseComplete(), PgMessages.ready('I'))));
        }
        segments.add(orig(concat(PgMessages.bind("", "s0"), PgMessages.execute(""), PgMessages.bind("", "s1"),
                PgMessages.execute(""), PgMessages.sync())));
        segments.add(resp(concat(PgMessages.complete("SELECT 1"), PgMessages.complete("SELECT 1"), PgMessages.ready('I'))));
        CapturingContext context = run(Transcript.of(segments.toArray(Transcript.Segment[]::new)));
        assertThat(context.records(PostgresqlRecord.class)).filteredOn(r -> r.frontend().equals("execute"))
                .extracting(PostgresqlRecord::frontendArg).containsExactly(null, "select 1");
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void pendingRequestsBeyondTheLimitAreLoggedUnanswered() {
        Wire queries = Wire.create();
        for (int i = 0; i < PostgresqlAnalyzer.MAX_PENDING; i++) {
            queries.bytes(PgMessages.query("select " + i));
        }
        CapturingContext context = run(Transcript.of(orig(PgMessages.startup("user", "u")), orig(queries.toByteArray())));
        assertThat(context.anomalies).containsExactly("postgresql_pending_overflow: 64 requests await the backend; "
                + "the oldest (startup) is logged unanswered");
        assertThat(context.records(PostgresqlRecord.class)).hasSize(PostgresqlAnalyzer.MAX_PENDING + 1);
    }

    @Test
    void probeRefusesOtherProtocolsAndNeedsTheWholeStartup() {
        PostgresqlProtocol p = new PostgresqlProtocol();
        byte[] startup = PgMessages.startup("user", "u", "database", "d");
        for (int n = 0; n < startup.length; n++) {
            assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(startup), 0, n, 5432)).as("%d bytes", n)
                    .isEqualTo(Verdict.NEED_MORE);
        }
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(startup), 0, startup.length, 5432)).isEqualTo(Verdict.MATCH);
        byte[] noUser = PgMessages.startup("database", "d");
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(noUser), 0, noUser.length, 5432)).isEqualTo(Verdict.NO_MATCH);
        byte[] get = "GET / HTTP/1.1\r\n".getBytes();
        assertThat(p.probe(Direction.ORIG, MemorySegment.ofArray(get), 0, get.length, 5432)).isEqualTo(Verdict.NO_MATCH);
        assertThat(p.probe(Direction.RESP, MemorySegment.ofArray(startup), 0, startup.length, 5432)).isEqualTo(Verdict.NO_MATCH);
    }

    @RepeatedTest(300)
    void mutatedSessionsAreSafeAndSplitIndependent(RepetitionInfo info) {
        session().assertMutationsSafe(0x9a1L * info.getCurrentRepetition(), 4, c -> new PostgresqlProtocol().create(c),
                7);
    }
}
