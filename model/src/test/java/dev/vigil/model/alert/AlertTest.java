package dev.vigil.model.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.identity.WorkloadRef;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class AlertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_764_175_424_000_000_123L;

    static Alert sample() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("k8s.ns.name", "shop");
        fields.put("k8s.pod.name", "web-7d9c");
        fields.put("proc.pid", 4242L);
        fields.put("proc.tty", 0);
        fields.put("proc.is_exe_upper_layer", true);
        fields.put("fd.sip", null);
        fields.put("proc.cmdline", "sh -c \"echo \\\"hi\\\"\"\n");
        return new Alert("01JDX0000000000000000000AB", T, "Unexpected process in workload", Priority.WARNING,
                Alert.SOURCE_SYSCALL, "node-1", "Unexpected process sh in shop/web", List.of("vigil", "T1059"),
                fields, new WorkloadRef("shop", "Deployment", "web"), null, "/bin/sh",
                List.of(new Mitre("T1059.004", "Unix Shell", "execution")), List.of("{\"log\":\"host\",\"ts\":1.5}"),
                0, 1, T, T);
    }

    @Test
    void rendersFalcoKeysThatAFalcoConsumerParses() throws Exception {
        JsonNode n = JSON.readTree(sample().toJson());
        assertThat(n.get("time").asString()).isEqualTo("2025-11-26T16:43:44.000000123Z");
        OffsetDateTime.parse(n.get("time").asString());
        assertThat(n.get("rule").asString()).isEqualTo("Unexpected process in workload");
        assertThat(n.get("priority").asString()).isEqualTo("Warning");
        assertThat(n.get("source").asString()).isEqualTo("syscall");
        assertThat(n.get("hostname").asString()).isEqualTo("node-1");
        assertThat(n.get("output").asString()).isEqualTo("Unexpected process sh in shop/web");
        assertThat(n.get("tags").isArray()).isTrue();
        JsonNode f = n.get("output_fields");
        assertThat(f.get("k8s.ns.name").asString()).isEqualTo("shop");
        assertThat(f.get("proc.pid").asLong()).isEqualTo(4242);
        assertThat(f.get("proc.tty").asInt()).isZero();
        assertThat(f.get("proc.is_exe_upper_layer").asBoolean()).isTrue();
        assertThat(f.has("fd.sip")).isTrue();
        assertThat(f.get("fd.sip").isNull()).isTrue();
        assertThat(f.get("proc.cmdline").asString()).isEqualTo("sh -c \"echo \\\"hi\\\"\"\n");
    }

    @Test
    void rendersVigilKeys() throws Exception {
        JsonNode n = JSON.readTree(sample().toJson());
        assertThat(n.get("id").asString()).hasSize(AlertIds.LENGTH);
        assertThat(n.get("workload").get("namespace").asString()).isEqualTo("shop");
        assertThat(n.get("workload").get("kind").asString()).isEqualTo("Deployment");
        assertThat(n.get("workload").get("name").asString()).isEqualTo("web");
        assertThat(n.has("peer")).isFalse();
        assertThat(n.get("subject").asString()).isEqualTo("/bin/sh");
        JsonNode m = n.get("mitre").get(0);
        assertThat(m.get("technique").asString()).isEqualTo("T1059.004");
        assertThat(m.get("tactic").asString()).isEqualTo("execution");
        assertThat(m.get("name").asString()).isEqualTo("Unix Shell");
        assertThat(n.get("count").asLong()).isEqualTo(1);
        assertThat(n.get("first_seen").asString()).isEqualTo(n.get("time").asString());
        assertThat(n.get("evidence").get(0).get("log").asString()).isEqualTo("host");
        assertThat(n.has("evidence_omitted")).isFalse();
    }

    @Test
    void foldedSummaryKeepsTheAlertAndCarriesTheFold() throws Exception {
        Alert a = sample().folded("01JDX0000000000000000000AC", T + 60_000_000_000L, "again", 41, T + 1, T + 59_000_000_000L,
                List.of("{\"log\":\"host\"}"), 40);
        JsonNode n = JSON.readTree(a.toJson());
        assertThat(n.get("count").asLong()).isEqualTo(41);
        assertThat(n.get("first_seen").asString()).isEqualTo("2025-11-26T16:43:44.000000124Z");
        assertThat(n.get("last_seen").asString()).isEqualTo("2025-11-26T16:44:43.000000123Z");
        assertThat(n.get("evidence_omitted").asLong()).isEqualTo(40);
        assertThat(n.get("rule").asString()).isEqualTo(sample().rule());
        assertThat(n.get("output").asString()).isEqualTo("again");
    }

    @Test
    void evidenceIsBounded() {
        List<String> nine = new ArrayList<>();
        for (int i = 0; i <= Alert.MAX_EVIDENCE; i++) {
            nine.add("{}");
        }
        Alert s = sample();
        assertThatThrownBy(() -> s.folded("x", T, "o", 2, T, T, nine, 0))
                .hasMessage("evidence: 9 records, at most 8; count the others in evidenceOmitted");
        assertThat(s.folded("x", T, "o", 2, T, T, nine.subList(0, Alert.MAX_EVIDENCE), 1).evidence()).hasSize(8);
    }

    @Test
    void foldCountsAreValidated() {
        Alert s = sample();
        assertThatThrownBy(() -> s.folded("x", T, "o", 0, T, T, List.of(), 0))
                .hasMessage("fold: count=0 first_seen=" + T + " last_seen=" + T
                        + "; count must be at least 1 and first_seen <= last_seen");
    }

    @Test
    void priorityNamesAreFalcos() {
        assertThat(Priority.parse("info")).isEqualTo(Priority.INFORMATIONAL);
        assertThat(Priority.parse(" CRITICAL ")).isEqualTo(Priority.CRITICAL);
        assertThat(Priority.parse("severe")).isNull();
        assertThat(Priority.values()).extracting(Priority::label).containsExactly("Emergency", "Alert", "Critical",
                "Error", "Warning", "Notice", "Informational", "Debug");
    }

    @Test
    void mitreIdsAndTacticsAreChecked() {
        assertThat(new Mitre("T1046", "Network Service Discovery", "discovery").tacticTag()).isEqualTo("mitre_discovery");
        assertThat(new Mitre("T1528", "Steal Application Access Token", "credential-access").tacticTag())
                .isEqualTo("mitre_credential_access");
        assertThatThrownBy(() -> new Mitre("1059", "x", "execution")).hasMessageContaining("T1059.004");
        assertThatThrownBy(() -> new Mitre("T1059", "x", "Execution")).hasMessageContaining("credential-access");
    }

    @Test
    void rfc3339HasNineDigitsAndRoundTrips() {
        assertThat(Rfc3339.format(0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(Rfc3339.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(Rfc3339.parse(Rfc3339.format(T))).isEqualTo(T);
        assertThat(Rfc3339.parse("2026-01-02T03:04:05+01:00")).isEqualTo(Rfc3339.parse("2026-01-02T02:04:05.000000000Z"));
    }

    @Test
    void idsAreUniqueAndSortByTimeWithinAndAcrossMilliseconds() {
        AlertIds ids = new AlertIds(new SecureRandom());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            seen.add(ids.next(T + i * 1000L));
        }
        seen.add(ids.next(T - 5_000_000_000L));
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(seen.getFirst()).matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    @Test
    void idEncodingIsUlidLayout() {
        assertThat(AlertIds.encode(0, 0, 0)).isEqualTo("00000000000000000000000000");
        assertThat(AlertIds.encode(1, 0, 0)).isEqualTo("00000000010000000000000000");
        assertThat(AlertIds.encode(0xffff_ffff_ffffL, 0xffff, -1L)).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(AlertIds.encode(2, 0, 0)).isGreaterThan(AlertIds.encode(1, 0xffff, -1L));
    }
}
