package dev.vigil.net.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.PipelineFacts;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.ZeekLog;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL facts of INDEX.md, Zeek's {@code postgresql.cut} baselines and nDPI's {@code pgsql.pcap.out},
 * from the captures run through the pipeline; their TCP payloads also fed in pieces must give the same.
 */
class PostgresqlConformanceTest {

    private static Path pcaps() {
        return Requirements.corpora().resolve("pcaps");
    }

    /** The capture's TCP payloads fed whole, byte by byte and split at many offsets give the same outcome. */
    private static void splitIndependence(String capture) {
        for (Transcript t : Transcript.ofCapture(pcaps().resolve(capture))) {
            t.assertSameEverywhere(c -> new PostgresqlProtocol().create(c), CapturingContext::outcome,
                    Math.max(1, t.size() / 1500));
        }
    }

    @Test
    void zeekPsqlSelectNowMatchesTheBaselineRowByRow() {
        String capture = "zeek/testing/btest/Traces/postgresql/psql-select-now.pcap";
        splitIndependence(capture);
        PipelineFacts facts = PipelineFacts.of(capture);
        List<Map<String, String>> expected = ZeekLog.read(pcaps().resolve(
                "zeek/testing/btest/Baseline/scripts.base.protocols.postgresql.psql-select-now/postgresql.cut"));
        List<String> columns = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "user", "database",
                "application_name", "frontend", "frontend_arg", "backend", "backend_arg", "success", "rows");
        List<Map<String, String>> actual = facts.records(PostgresqlRecord.class).stream()
                .map(r -> ZeekLog.project(r, columns)).toList();
        assertThat(actual).isEqualTo(expected.stream().map(row -> {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            columns.forEach(c -> m.put(c, row.get(c)));
            return m;
        }).toList());
        assertThat(facts.records(PostgresqlRecord.class).get(1).authMechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(facts.conns()).singleElement().satisfies(c -> {
            assertThat(c.service()).isEqualTo("postgresql");
            assertThat(c.encrypted()).isFalse();
        });
        assertThat(facts.weirds()).isEmpty();
    }

    @Test
    void suricataCleartextPasswordLogin() {
        String capture = "suricata-verify/pgsql_pgsql-pwd-output-disabled/input.pcap";
        splitIndependence(capture);
        PipelineFacts facts = PipelineFacts.of(capture);
        List<PostgresqlRecord> records = facts.records(PostgresqlRecord.class);
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
        assertThat(facts.weirds()).isEmpty();
        assertThat(facts.conns()).singleElement().satisfies(c -> assertThat(c.service()).isEqualTo("postgresql"));
    }

    /**
     * nDPI labels all six flows PostgreSQL. Two of them are a GSSENCRequest the server accepts ({@code G})
     * and then close: nDPI says ClearText, Vigil says encrypted, as the protocol makes everything after
     * {@code G} GSSAPI-wrapped.
     */
    @Test
    void ndpiPgsqlFlowsArePostgresql() {
        String capture = "ndpi/pcap/pgsql.pcap";
        splitIndependence(capture);
        for (Transcript t : Transcript.ofCapture(pcaps().resolve(capture))) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
        }
        PipelineFacts facts = PipelineFacts.of(capture);
        assertThat(facts.conns()).hasSize(6).allSatisfy(c -> assertThat(c.service()).isEqualTo("postgresql"));
        assertThat(facts.weirds()).isEmpty();
        List<PostgresqlRecord> records = facts.records(PostgresqlRecord.class);
        List<String> gssenc = records.stream().filter(r -> r.frontend().equals("gssenc_request")).map(PostgresqlRecord::uid)
                .toList();
        assertThat(gssenc).hasSize(2);
        assertThat(records).filteredOn(r -> r.frontend().equals("gssenc_request"))
                .allSatisfy(r -> assertThat(r.success()).isTrue());
        assertThat(facts.conns()).allSatisfy(c -> assertThat(c.encrypted()).isEqualTo(gssenc.contains(c.uid())));
        assertThat(records).filteredOn(r -> r.frontend().equals("startup")).extracting(PostgresqlRecord::user)
                .containsOnly("test", "oryx");
    }

    /**
     * Zeek's negative cases: port 5432, not PostgreSQL. The probe refuses them; with detection by
     * content they are what they are (Zeek, which only tries PostgreSQL on that port, logs no service).
     */
    @Test
    void mysqlAndHttpOnPort5432AreNotPostgresql() {
        for (String f : List.of("mysql", "http")) {
            String capture = "zeek/testing/btest/Traces/postgresql/" + f + "-on-port-5432.pcap";
            Transcript t = Transcript.ofCapture(pcaps().resolve(capture)).getFirst();
            assertThat(t.id().respP()).isEqualTo(5432);
            assertThat(probe(t)).as(f).isEqualTo(Verdict.NO_MATCH);
            PipelineFacts facts = PipelineFacts.of(capture);
            assertThat(facts.conns()).as(f).singleElement().satisfies(c -> assertThat(c.service()).isEqualTo(f));
            assertThat(facts.records(PostgresqlRecord.class)).as(f).isEmpty();
            CapturingContext forced = new CapturingContext(t.id());
            t.feed(forced, new PostgresqlProtocol().create(forced));
            assertThat(forced.services).as("PostgreSQL forced on %s", f).isEmpty();
            assertThat(forced.anomalyNames()).as(f).contains("postgresql_bad_startup");
        }
    }

    static Verdict probe(Transcript t) {
        return t.probe(new PostgresqlProtocol(), 5432);
    }
}
