package dev.vigil.net.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.net.app.AppProtocol.Verdict;
import dev.vigil.net.app.CapturingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.ZeekLog;
import dev.vigil.testkit.Requirements;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MySQL facts: Zeek's {@code mysql.log} baseline for {@code mysql.pcap}, and nDPI's {@code mysql.pcapng.out}. */
class MysqlConformanceTest {

    private static Path pcaps() {
        return Requirements.corpora().resolve("pcaps");
    }

    private static CapturingContext analyze(Transcript t) {
        t.assertSameEverywhere(c -> new MysqlProtocol().create(c), CapturingContext::outcome, Math.max(1, t.size() / 1500));
        CapturingContext context = new CapturingContext(t.id());
        t.feed(context, new MysqlProtocol().create(context));
        return context;
    }

    @Test
    void zeekMysqlLogRowByRow() {
        Transcript t = Transcript.ofCapture(pcaps().resolve("zeek/testing/btest/Traces/mysql/mysql.pcap")).getFirst();
        assertThat(probe(t)).isEqualTo(Verdict.MATCH);
        CapturingContext context = analyze(t);
        List<String> columns = List.of("id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "cmd", "arg", "success",
                "rows", "response");
        List<Map<String, String>> expected = ZeekLog.read(pcaps().resolve(
                "zeek/testing/btest/Baseline/scripts.base.protocols.mysql.wireshark/mysql.log")).stream().map(row -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    columns.forEach(c -> m.put(c, row.get(c)));
                    return m;
                }).toList();
        List<MysqlRecord> records = context.records(MysqlRecord.class);
        assertThat(records.stream().map(r -> ZeekLog.project(r, columns)).toList()).isEqualTo(expected);
        assertThat(records.getFirst().serverVersion()).isEqualTo("5.0.54");
        assertThat(records).filteredOn(r -> "select * from foo".equals(r.arg())).extracting(MysqlRecord::resultRows)
                .containsExactly(2L, 1L);
        assertThat(context.services).containsExactly("mysql");
        assertThat(context.encrypted).isFalse();
        assertThat(context.anomalies).isEmpty();
    }

    /**
     * nDPI labels both flows MySQL and ClearText. The MySQL 8.0.36 flow's client sends an SSLRequest
     * and TLS follows, which Vigil hands to its TLS analyzer and reports encrypted.
     */
    @Test
    void ndpiMysqlAndMariadbFlows() {
        List<Transcript> flows = Transcript.ofCapture(pcaps().resolve("ndpi/pcap/mysql.pcapng"));
        assertThat(flows).hasSize(2);
        for (Transcript t : flows) {
            assertThat(probe(t)).as(t.id().toString()).isEqualTo(Verdict.MATCH);
            CapturingContext context = analyze(t);
            assertThat(context.services.iterator().next()).isEqualTo("mysql");
            assertThat(context.anomalies).as(t.id().toString()).isEmpty();
            MysqlRecord first = context.records(MysqlRecord.class).getFirst();
            if (t.id().respH().equals("192.168.88.200")) {
                assertThat(first.serverVersion()).isEqualTo("8.0.36");
                assertThat(first.cmd()).isEqualTo("ssl_request");
                assertThat(context.services).containsExactly("mysql", "ssl");
                assertThat(context.records(SslRecord.class)).singleElement()
                        .satisfies(r -> assertThat(r.version()).isEqualTo("TLSv13"));
                assertThat(context.encrypted).isTrue();
            } else {
                assertThat(first.serverVersion()).startsWith("5.5.5-10.6.12-MariaDB");
                assertThat(first.cmd()).isEqualTo("login");
                assertThat(first.arg()).isEqualTo("admin");
                assertThat(first.success()).isTrue();
                assertThat(context.records(MysqlRecord.class)).extracting(MysqlRecord::arg)
                        .contains("select @@version_comment limit 1");
                assertThat(context.encrypted).isFalse();
            }
        }
    }

    static Verdict probe(Transcript t) {
        MysqlProtocol p = new MysqlProtocol();
        Verdict result = Verdict.NO_MATCH;
        for (Direction d : Direction.values()) {
            byte[] b = t.bytes(d);
            Verdict v = p.probe(d, MemorySegment.ofArray(b), 0, Math.min(b.length, 4096), 3306);
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
