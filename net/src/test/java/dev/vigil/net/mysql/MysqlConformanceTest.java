package dev.vigil.net.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.PipelineFacts;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.ZeekLog;
import dev.vigil.testkit.Requirements;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MySQL facts: Zeek's {@code mysql.log} baseline for {@code mysql.pcap}, and nDPI's {@code mysql.pcapng.out},
 * from the captures run through the pipeline; their TCP payloads also fed in pieces must give the same.
 */
class MysqlConformanceTest {

    private static Path pcaps() {
        return Requirements.corpora().resolve("pcaps");
    }

    /** The capture's TCP payloads fed whole, byte by byte and split at many offsets give the same outcome. */
    private static void splitIndependence(String capture) {
        for (Transcript t : Transcript.ofCapture(pcaps().resolve(capture))) {
            t.assertSameEverywhere(c -> new MysqlProtocol().create(c), CapturingContext::outcome, Math.max(1, t.size() / 1500));
        }
    }

    @Test
    void zeekMysqlLogRowByRow() {
        String capture = "zeek/testing/btest/Traces/mysql/mysql.pcap";
        assertThat(probe(Transcript.ofCapture(pcaps().resolve(capture)).getFirst())).isEqualTo(Verdict.MATCH);
        splitIndependence(capture);
        PipelineFacts facts = PipelineFacts.of(capture);
        List<String> columns = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "cmd", "arg", "success",
                "rows", "response");
        List<Map<String, String>> expected = ZeekLog.read(pcaps().resolve(
                "zeek/testing/btest/Baseline/scripts.base.protocols.mysql.wireshark/mysql.log")).stream().map(row -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    columns.forEach(c -> m.put(c, row.get(c)));
                    return m;
                }).toList();
        List<MysqlRecord> records = facts.records(MysqlRecord.class);
        assertThat(records.stream().map(r -> ZeekLog.project(r, columns)).toList()).isEqualTo(expected);
        assertThat(records.getFirst().serverVersion()).isEqualTo("5.0.54");
        assertThat(records).filteredOn(r -> "select * from foo".equals(r.arg())).extracting(MysqlRecord::resultRows)
                .containsExactly(2L, 1L);
        assertThat(facts.conns()).singleElement().satisfies(c -> {
            assertThat(c.service()).isEqualTo("mysql");
            assertThat(c.encrypted()).isFalse();
        });
        assertThat(facts.weirds()).isEmpty();
    }

    /**
     * nDPI labels both flows MySQL and ClearText. The MySQL 8.0.36 flow's client sends an SSLRequest
     * and TLS follows, which Vigil hands to its TLS analyzer and reports encrypted.
     */
    @Test
    void ndpiMysqlAndMariadbFlows() {
        String capture = "ndpi/pcap/mysql.pcapng";
        splitIndependence(capture);
        for (Transcript t : Transcript.ofCapture(pcaps().resolve(capture))) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
        }
        PipelineFacts facts = PipelineFacts.of(capture);
        assertThat(facts.weirds()).isEmpty();
        assertThat(facts.conns()).hasSize(2);
        for (var conn : facts.conns()) {
            List<MysqlRecord> records = facts.records(MysqlRecord.class).stream().filter(r -> r.uid().equals(conn.uid()))
                    .toList();
            MysqlRecord first = records.getFirst();
            if (conn.id().respH().equals("192.168.88.200")) {
                assertThat(first.serverVersion()).isEqualTo("8.0.36");
                assertThat(first.cmd()).isEqualTo("ssl_request");
                assertThat(conn.service()).isEqualTo("mysql,ssl");
                assertThat(facts.records(SslRecord.class)).singleElement().satisfies(r -> {
                    assertThat(r.uid()).isEqualTo(conn.uid());
                    assertThat(r.version()).isEqualTo("TLSv13");
                });
                assertThat(conn.encrypted()).isTrue();
            } else {
                assertThat(first.serverVersion()).startsWith("5.5.5-10.6.12-MariaDB");
                assertThat(first.cmd()).isEqualTo("login");
                assertThat(first.arg()).isEqualTo("admin");
                assertThat(first.success()).isTrue();
                assertThat(records).extracting(MysqlRecord::arg).contains("select @@version_comment limit 1");
                assertThat(conn.service()).isEqualTo("mysql");
                assertThat(conn.encrypted()).isFalse();
            }
        }
    }

    static Verdict probe(Transcript t) {
        return t.probe(new MysqlProtocol(), 3306);
    }
}
