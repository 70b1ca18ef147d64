package dev.vigil.net.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.ZeekLog;
import dev.vigil.testkit.Requirements;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL facts of INDEX.md, Zeek's {@code postgresql.cut} baselines and nDPI's {@code pgsql.pcap.out}. */
class PostgresqlConformanceTest {

    private static Path pcaps() {
        return Requirements.corpora().resolve("pcaps");
    }

    private static CapturingContext analyze(Transcript t) {
        t.assertSameEverywhere(c -> new PostgresqlProtocol().create(c), CapturingContext::outcome,
                Math.max(1, t.size() / 1500));
        CapturingContext context = new CapturingContext(t.id());
        t.feed(context, new PostgresqlProtocol().create(context));
        return context;
    }

    @Test
    void zeekPsqlSelectNowMatchesTheBaselineRowByRow() {
        Transcript t = Transcript.ofCapture(pcaps().resolve("zeek/testing/btest/Traces/postgresql/psql-select-now.pcap")).getFirst();
        CapturingContext context = analyze(t);
        List<Map<String, String>> expected = ZeekLog.read(pcaps().resolve(
                "zeek/testing/btest/Baseline/scripts.base.protocols.postgresql.psql-select-now/postgresql.cut"));
        List<String> columns = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "user", "database",
                "application_name", "frontend", "frontend_arg", "backend", "backend_arg", "success", "rows");
        List<Map<String, String>> actual = context.records(PostgresqlRecord.class).stream()
                .map(r -> ZeekLog.project(r, columns)).toList();
        assertThat(actual).isEqualTo(expected.stream().map(row -> {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            columns.forEach(c -> m.put(c, row.get(c)));
            return m;
        }).toList());
        assertThat(context.records(PostgresqlRecord.class).get(1).authMechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(context.services).containsExactly("postgresql");
        assertThat(context.encrypted).isFalse();
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void suricataCleartextPasswordLogin() {
        Transcript t = Transcript.ofCapture(pcaps().resolve("suricata-verify/pgsql_pgsql-pwd-output-disabled/input.pcap")).getFirst();
        CapturingContext context = analyze(t);
        List<PostgresqlRecord> records = context.records(PostgresqlRecord.class);
        assertThat(records).extracting(PostgresqlRecord::frontend).containsExactly("ssl_request", "startup", "terminate");
        assertThat(records.getFirst()).satisfies(r -> {
            assertThat(r.success()).isFalse();
            assertThat(r.backendArg()).isEqualTo("N");
            assertThat(r.id().origP()).isEqualTo(41662);
        });
        assertThat(records.get(1)).satisfies(r -> {
            assertThat(r.user()).isEqualTo("ju-Test");
            assertThat(r.database()).isEqualTo("Test");
            assertThat(r.applicationName()).isEqualTo("psql");
            assertThat(r.backend()).isEqualTo("auth_ok");
            assertThat(r.backendArg()).isEqualTo("CleartextPassword");
            assertThat(r.success()).isTrue();
            assertThat(r.serverVersion()).isEqualTo("13.4");
        });
        assertThat(records.toString()).doesNotContain("Test!2");
        assertThat(context.anomalies).isEmpty();
    }

    /**
     * nDPI labels all six flows PostgreSQL. Two of them are a GSSENCRequest the server accepts ({@code G})
     * and then close: nDPI says ClearText, Vigil says encrypted, as the protocol makes everything after
     * {@code G} GSSAPI-wrapped.
     */
    @Test
    void ndpiPgsqlFlowsArePostgresql() {
        List<Transcript> flows = Transcript.ofCapture(pcaps().resolve("ndpi/pcap/pgsql.pcap"));
        assertThat(flows).hasSize(6);
        int gssenc = 0;
        for (Transcript t : flows) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
            CapturingContext context = analyze(t);
            assertThat(context.services).as(t.id().toString()).containsExactly("postgresql");
            assertThat(context.anomalies).as(t.id().toString()).isEmpty();
            List<PostgresqlRecord> records = context.records(PostgresqlRecord.class);
            if (records.getFirst().frontend().equals("gssenc_request")) {
                gssenc++;
                assertThat(records).singleElement().satisfies(r -> assertThat(r.success()).isTrue());
                assertThat(context.encrypted).isTrue();
            } else {
                assertThat(records).anySatisfy(r -> assertThat(r.user()).isNotNull());
                assertThat(context.encrypted).isFalse();
            }
        }
        assertThat(gssenc).isEqualTo(2);
    }

    @Test
    void mysqlAndHttpOnPort5432AreNotPostgresql() {
        for (String f : List.of("mysql-on-port-5432.pcap", "http-on-port-5432.pcap")) {
            Transcript t = Transcript.ofCapture(pcaps().resolve("zeek/testing/btest/Traces/postgresql/" + f)).getFirst();
            assertThat(t.id().respP()).isEqualTo(5432);
            assertThat(probe(t)).as(f).isEqualTo(Verdict.NO_MATCH);
            CapturingContext context = new CapturingContext(t.id());
            t.feed(context, new PostgresqlProtocol().create(context));
            assertThat(context.services).as(f).isEmpty();
            assertThat(context.records).as(f).isEmpty();
            assertThat(context.anomalyNames()).as(f).contains("postgresql_bad_startup");
        }
    }

    /** The verdict on each direction's first bytes: MATCH if either matches, else NO_MATCH once both refused. */
    static Verdict probe(Transcript t) {
        PostgresqlProtocol p = new PostgresqlProtocol();
        Verdict result = Verdict.NO_MATCH;
        for (Direction d : Direction.values()) {
            byte[] b = t.bytes(d);
            Verdict v = p.probe(d, MemorySegment.ofArray(b), 0, Math.min(b.length, 4096), 5432);
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
