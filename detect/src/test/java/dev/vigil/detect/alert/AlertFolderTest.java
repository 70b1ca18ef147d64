package dev.vigil.detect.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.alert.Alert;
import dev.vigil.model.alert.AlertIds;
import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import dev.vigil.model.identity.WorkloadRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class AlertFolderTest {

    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_000_000L * S;
    private static final WorkloadRef WEB = new WorkloadRef("shop", "Deployment", "web");
    private static final WorkloadRef DB = new WorkloadRef("shop", "StatefulSet", "db");

    private final List<Alert> out = new ArrayList<>();
    private final AlertFolder folder = new AlertFolder(Duration.ofSeconds(60), 100, new AlertIds(), out::add);

    static Alert alert(String rule, WorkloadRef w, String peer, long at, String evidence) {
        return new Alert("id" + at, at, rule, Priority.WARNING, Alert.SOURCE_NET, "node", rule + " to " + peer,
                List.of(), Map.of(), w, peer, null, List.of(new Mitre("T1046", "Network Service Discovery", "discovery")),
                List.of(evidence), 0, 1, at, at);
    }

    @Test
    void firstAlertPassesAtOnceAndRepeatsBecomeOneSummaryAtWindowEnd() {
        folder.accept(alert("Port scan", WEB, "10.0.0.9", T0, "{\"n\":0}"));
        assertThat(out).hasSize(1);
        assertThat(out.getFirst().count()).isEqualTo(1);
        for (int i = 1; i <= 30; i++) {
            folder.accept(alert("Port scan", WEB, "10.0.0.9", T0 + i * S, "{\"n\":" + i + "}"));
        }
        assertThat(out).hasSize(1);
        folder.flush(T0 + 59 * S);
        assertThat(out).hasSize(1);
        folder.flush(T0 + 60 * S);
        assertThat(out).hasSize(2);
        Alert summary = out.get(1);
        assertThat(summary.count()).isEqualTo(30);
        assertThat(summary.firstSeenNanos()).isEqualTo(T0 + S);
        assertThat(summary.lastSeenNanos()).isEqualTo(T0 + 30 * S);
        assertThat(summary.timeNanos()).isEqualTo(T0 + 60 * S);
        assertThat(summary.evidence()).hasSize(Alert.MAX_EVIDENCE).first().isEqualTo("{\"n\":1}");
        assertThat(summary.evidenceOmitted()).isEqualTo(30 - Alert.MAX_EVIDENCE);
        assertThat(summary.output()).isEqualTo("Port scan to 10.0.0.9 (repeated 30 times within 60 s of the first alert)");
        assertThat(summary.id()).isNotEqualTo(out.getFirst().id());
        assertThat(folder.stats()).isEqualTo(new AlertFolder.Stats(1, 30, 1, 0, 0));
    }

    @Test
    void differentRuleWorkloadOrPeerAreNotRepeats() {
        folder.accept(alert("Port scan", WEB, "10.0.0.9", T0, "{}"));
        folder.accept(alert("Port scan", DB, "10.0.0.9", T0 + 1, "{}"));
        folder.accept(alert("Port scan", WEB, "10.0.0.8", T0 + 2, "{}"));
        folder.accept(alert("Ping sweep", WEB, "10.0.0.9", T0 + 3, "{}"));
        folder.accept(alert("Ping sweep", null, "10.0.0.9", T0 + 4, "{}"));
        folder.accept(alert("Ping sweep", null, "10.0.0.9", T0 + 5, "{}"));
        assertThat(out).hasSize(5);
    }

    @Test
    void windowWithoutRepeatsEndsSilentlyAndTheNextAlertOpensANewWindow() {
        folder.accept(alert("Port scan", WEB, "p", T0, "{}"));
        folder.accept(alert("Port scan", WEB, "p", T0 + 61 * S, "{}"));
        assertThat(out).extracting(Alert::count).containsExactly(1L, 1L);
        folder.accept(alert("Port scan", WEB, "p", T0 + 62 * S, "{}"));
        folder.accept(alert("Port scan", WEB, "p", T0 + 200 * S, "{}"));
        assertThat(out).extracting(Alert::count).containsExactly(1L, 1L, 1L, 1L);
        assertThat(out.get(2).timeNanos()).isEqualTo(T0 + 121 * S);
        assertThat(out.get(2).output()).endsWith("(repeated 1 time within 60 s of the first alert)");
    }

    @Test
    void aSummaryComesBeforeTheNextWindowsFirstAlert() {
        folder.accept(alert("Port scan", WEB, "p", T0, "{}"));
        folder.accept(alert("Port scan", WEB, "p", T0 + S, "{}"));
        folder.accept(alert("Port scan", WEB, "p", T0 + 70 * S, "{}"));
        assertThat(out).extracting(Alert::timeNanos).containsExactly(T0, T0 + 60 * S, T0 + 70 * S);
    }

    @Test
    void closePassesOnEveryOpenSummary() {
        folder.accept(alert("A", WEB, "p", T0, "{}"));
        folder.accept(alert("A", WEB, "p", T0 + S, "{}"));
        folder.accept(alert("B", WEB, "p", T0 + 2 * S, "{}"));
        folder.accept(alert("B", WEB, "p", T0 + 3 * S, "{}"));
        folder.accept(alert("B", WEB, "p", T0 + 4 * S, "{}"));
        folder.close();
        assertThat(out).extracting(Alert::rule, Alert::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", 1L), org.assertj.core.groups.Tuple.tuple("B", 1L),
                        org.assertj.core.groups.Tuple.tuple("A", 1L), org.assertj.core.groups.Tuple.tuple("B", 2L));
        assertThat(folder.stats().open()).isZero();
    }

    @Test
    void overTheKeyBoundTheOldestWindowIsSummarizedEarlyAndCounted() {
        AlertFolder small = new AlertFolder(Duration.ofSeconds(60), 2, new AlertIds(), out::add);
        small.accept(alert("A", WEB, "1", T0, "{}"));
        small.accept(alert("A", WEB, "1", T0 + 1, "{}"));
        small.accept(alert("A", WEB, "2", T0 + 2, "{}"));
        small.accept(alert("A", WEB, "3", T0 + 3, "{}"));
        assertThat(out).extracting(Alert::peer, Alert::count).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", 1L), org.assertj.core.groups.Tuple.tuple("2", 1L),
                org.assertj.core.groups.Tuple.tuple("1", 1L), org.assertj.core.groups.Tuple.tuple("3", 1L));
        assertThat(small.stats()).isEqualTo(new AlertFolder.Stats(3, 1, 1, 1, 2));
    }

    @RepeatedTest(20)
    void everyAlertIsCountedExactlyOnce(RepetitionInfo info) {
        long seed = 0x5eedL + info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        AlertFolder f = new AlertFolder(Duration.ofSeconds(1 + random.nextInt(30)), 1 + random.nextInt(5),
                new AlertIds(), out::add);
        int n = 500 + random.nextInt(1000);
        long t = T0;
        for (int i = 0; i < n; i++) {
            t += random.nextLong(3 * S);
            f.accept(alert("R" + random.nextInt(3), random.nextBoolean() ? WEB : DB, "p" + random.nextInt(3), t, "{}"));
            if (random.nextInt(50) == 0) {
                f.flush(t + random.nextLong(10 * S));
            }
        }
        f.close();
        assertThat(out.stream().mapToLong(Alert::count).sum()).as("seed %d", seed).isEqualTo(n);
        assertThat(out).as("seed %d", seed).allSatisfy(a -> assertThat(a.evidence().size() + a.evidenceOmitted())
                .isEqualTo(a.count()));
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> new AlertFolder(Duration.ZERO, 1, new AlertIds(), a -> { }))
                .hasMessage("fold window: PT0S must be positive (e.g. PT60S)");
        assertThatThrownBy(() -> new AlertFolder(Duration.ofSeconds(1), 0, new AlertIds(), a -> { }))
                .hasMessage("fold max keys: 0 must be at least 1");
    }
}
