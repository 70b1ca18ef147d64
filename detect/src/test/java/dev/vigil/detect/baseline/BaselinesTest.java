package dev.vigil.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.identity.WorkloadRef;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    static final long S = 1_000_000_000L;
    static final long T0 = 1_764_000_000L * S;
    static final WorkloadRef WEB = new WorkloadRef("shop", "Deployment", "web");
    static final WorkloadRef DB = new WorkloadRef("shop", "StatefulSet", "db");
    static final List<String> NGINX = List.of("nginx", "-g", "daemon off;");

    /** Promote after 60 s of learning with 20 quiet seconds. */
    static BaselineConfig lab() {
        return BaselineConfig.defaults().withLearning(true, Duration.ofSeconds(60), Duration.ofSeconds(20));
    }

    final Baselines b = new Baselines(lab());

    @Test
    void learnsThenKnowsEveryKindOfFact() {
        assertThat(b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", NGINX, T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.peer(WEB, PeerKind.EXTERNAL, null, "api.example.com", 443, "tcp", null, T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.listening(WEB, 8080, "tcp", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.dnsName(WEB, "API.example.com.", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.fileWrite(WEB, "web", "/var/cache/nginx/a.tmp", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(b.tokenRead(WEB, "web", "/app/server", T0)).isEqualTo(Verdict.LEARNED);

        assertThat(b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", List.of("x", "-g", "daemon off;"), T0 + S))
                .isEqualTo(Verdict.KNOWN);
        assertThat(b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", null, T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.peer(WEB, PeerKind.EXTERNAL, null, "api.example.com", 443, "tcp", null, T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.listening(WEB, 8080, "tcp", T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.dnsName(WEB, "api.EXAMPLE.com", T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.fileWrite(WEB, "web", "/var/cache/nginx/b.tmp", T0)).isEqualTo(Verdict.KNOWN);
        assertThat(b.tokenRead(WEB, "web", "/app/server", T0)).isEqualTo(Verdict.KNOWN);

        assertThat(b.mode(WEB)).isEqualTo(Mode.LEARN);
        assertThat(b.mode(DB)).isNull();
    }

    @Test
    void factsAreKeptPerContainerAndPerWorkload() {
        b.exec(WEB, "web", "/bin/app", "app", List.of("app"), T0);
        b.setMode(WEB, Mode.MONITOR, T0);
        assertThat(b.exec(WEB, "sidecar", "/bin/app", "app", List.of("app"), T0)).isEqualTo(Verdict.DEVIATION);
        assertThat(b.exec(DB, "web", "/bin/app", "app", List.of("app"), T0)).isEqualTo(Verdict.LEARNED);
    }

    @Test
    void monitorRaisesAndProtectBlocksWhatIsNew() {
        b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", NGINX, T0);
        b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0);
        b.setMode(WEB, Mode.MONITOR, T0 + S);
        assertThat(b.exec(WEB, "web", "/usr/bin/curl", "curl", List.of("curl", "http://x"), T0 + 2 * S))
                .isEqualTo(Verdict.DEVIATION);
        assertThat(b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", List.of("nginx", "-s", "reload"), T0 + 2 * S))
                .isEqualTo(Verdict.DEVIATION);
        assertThat(b.knowsExecutable(WEB, "web", "/usr/sbin/nginx", "nginx")).isTrue();
        assertThat(b.knowsExecutable(WEB, "web", "/usr/bin/curl", "curl")).isFalse();
        assertThat(b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "http", T0)).isEqualTo(Verdict.DEVIATION);
        assertThat(b.knowsPeer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp")).isTrue();
        b.setMode(WEB, Mode.PROTECT, T0 + 3 * S);
        assertThat(b.exec(WEB, "web", "/usr/bin/curl", "curl", List.of("curl"), T0 + 4 * S)).isEqualTo(Verdict.BLOCK);
        assertThat(b.peer(WEB, PeerKind.EXTERNAL, null, "203.0.113.7", 4444, "tcp", null, T0)).isEqualTo(Verdict.BLOCK);
        assertThat(b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", NGINX, T0 + 4 * S)).isEqualTo(Verdict.KNOWN);
        assertThat(b.stats().deviations()).isEqualTo(5);
        assertThat(b.policy(WEB).orElseThrow().containers().getFirst().processes()).hasSize(1);
    }

    @Test
    void promotesAfterTheMinimumLearningTimeAndAQuietPeriodNotBefore() {
        b.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0);
        b.exec(WEB, "web", "/bin/b", "b", List.of("b"), T0 + 50 * S);
        assertThat(b.promote(T0 + 69 * S)).isEmpty();
        assertThat(b.mode(WEB)).isEqualTo(Mode.LEARN);
        assertThat(b.promote(T0 + 70 * S)).containsExactly(WEB);
        assertThat(b.promote(T0 + 71 * S)).as("reported once").isEmpty();
        assertThat(b.mode(WEB)).isEqualTo(Mode.MONITOR);
        assertThat(b.policy(WEB).orElseThrow().modeChangedNanos()).isEqualTo(T0 + 70 * S);

        b.exec(DB, "db", "/bin/a", "a", List.of("a"), T0);
        assertThat(b.promote(T0 + 59 * S)).as("quiet but not yet learned for the minimum").isEmpty();
        assertThat(b.promote(T0 + 60 * S)).containsExactly(DB);
        assertThat(b.stats().promotions()).isEqualTo(2);
    }

    @Test
    void aNewFactAfterTheLearningPeriodIsADeviationNotLearned() {
        b.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0);
        assertThat(b.exec(WEB, "web", "/bin/b", "b", List.of("b"), T0 + 61 * S)).isEqualTo(Verdict.DEVIATION);
        assertThat(b.mode(WEB)).isEqualTo(Mode.MONITOR);
        assertThat(b.promote(T0 + 62 * S)).as("a promotion at a check is reported by the next sweep").containsExactly(WEB);
    }

    @Test
    void backToLearnRestartsTheLearningClockAndKeepsTheFacts() {
        b.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0);
        b.promote(T0 + 100 * S);
        b.setMode(WEB, Mode.LEARN, T0 + 200 * S);
        assertThat(b.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0 + 201 * S)).isEqualTo(Verdict.KNOWN);
        assertThat(b.promote(T0 + 259 * S)).isEmpty();
        assertThat(b.promote(T0 + 260 * S)).containsExactly(WEB);
    }

    @Test
    void withoutAutomaticPromotionALearningWorkloadLearnsUntilTold() {
        Baselines manual = new Baselines(BaselineConfig.defaults().withLearning(false, Duration.ZERO, Duration.ZERO));
        manual.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0);
        assertThat(manual.promote(T0 + 1_000_000 * S)).isEmpty();
        assertThat(manual.exec(WEB, "web", "/bin/b", "b", List.of("b"), T0 + 1_000_000 * S)).isEqualTo(Verdict.LEARNED);
    }

    @Test
    void setModeBeforeAWorkloadRunsCreatesAnEmptyBaseline() {
        b.setMode(DB, Mode.PROTECT, T0);
        assertThat(b.exec(DB, "db", "/bin/a", "a", List.of("a"), T0)).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void newWorkloadsStartInTheConfiguredMode() {
        Baselines strict = new Baselines(lab().withInitialMode(Mode.MONITOR));
        assertThat(strict.exec(WEB, "web", "/bin/a", "a", List.of("a"), T0)).isEqualTo(Verdict.DEVIATION);
    }

    @Test
    void anExecutableWithTooManyShapesAcceptsAnyArguments() {
        int max = BaselineConfig.DEFAULT_MAX_SHAPES;
        for (int i = 0; i < max; i++) {
            assertThat(b.exec(WEB, "web", "/bin/sh", "sh", List.of("sh", "-c", "job" + (char) ('a' + i)), T0))
                    .isEqualTo(Verdict.LEARNED);
        }
        assertThat(b.policy(WEB).orElseThrow().containers().getFirst().processes().getFirst().args()).hasSize(max);
        assertThat(b.exec(WEB, "web", "/bin/sh", "sh", List.of("sh", "-c", "jobz"), T0)).isEqualTo(Verdict.LEARNED);
        WorkloadPolicy.Process sh = b.policy(WEB).orElseThrow().containers().getFirst().processes().getFirst();
        assertThat(sh.anyArgs()).isTrue();
        assertThat(sh.args()).isEmpty();
        b.setMode(WEB, Mode.MONITOR, T0);
        assertThat(b.exec(WEB, "web", "/bin/sh", "sh", List.of("sh", "-c", "anything at all"), T0)).isEqualTo(Verdict.KNOWN);
    }

    @Test
    void setsAreBoundedAtLimitPlusOneAndOverflowsAreCounted() {
        BaselineConfig c = lab();
        Baselines small = new Baselines(new BaselineConfig(Mode.LEARN, true, Duration.ofSeconds(60), Duration.ofSeconds(20),
                2, 1, 2, 2, 2, 1, 1, 1, 1, 1));
        assertThat(small.dnsName(WEB, "a.example", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.dnsName(WEB, "b.example", T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.exec(WEB, "c1", "/a", "a", List.of("a"), T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.exec(WEB, "c2", "/a", "a", List.of("a"), T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.exec(WEB, "c1", "/b", "b", List.of("b"), T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.exec(WEB, "c1", "/c", "c", List.of("c"), T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.peer(WEB, PeerKind.NODE, null, "n1", 10250, "tcp", "ssl", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.peer(WEB, PeerKind.NODE, null, "n1", 10250, "tcp", "http", T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.listening(WEB, 80, "tcp", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.listening(WEB, 81, "tcp", T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.fileWrite(WEB, "c1", "/etc/a", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.fileWrite(WEB, "c1", "/usr/a", T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.tokenRead(WEB, "c1", "/a", T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.tokenRead(WEB, "c1", "/b", T0)).isEqualTo(Verdict.UNTRACKED);
        assertThat(small.exec(DB, "c1", "/a", "a", List.of("a"), T0)).isEqualTo(Verdict.LEARNED);
        assertThat(small.exec(new WorkloadRef("x", "Pod", "y"), "c", "/a", "a", List.of("a"), T0))
                .isEqualTo(Verdict.UNTRACKED);
        assertThat(small.stats()).isEqualTo(new Baselines.Stats(2, 1, 7, 0, 0));
        assertThat(c.maxWorkloads()).isEqualTo(BaselineConfig.DEFAULT_MAX_WORKLOADS);
    }

    @Test
    void importedPoliciesBeyondTheBoundsAreRefusedWithTheCount() {
        Baselines small = new Baselines(new BaselineConfig(Mode.LEARN, true, Duration.ofSeconds(60), Duration.ofSeconds(20),
                2, 1, 2, 2, 2, 1, 1, 1, 1, 1));
        WorkloadPolicy p = new WorkloadPolicy(WEB, Mode.MONITOR, T0, T0, T0, List.of(), List.of(),
                List.of("a.example", "b.example"), List.of());
        assertThatThrownBy(() -> small.replace(p)).hasMessage("policy of shop/web: 2 DNS names, at most 1 are kept;"
                + " remove some or raise the bound in the agent's configuration");
    }

    @Test
    void configurationIsValidatedAcrossFields() {
        assertThatThrownBy(() -> BaselineConfig.defaults().withLearning(true, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessage("learning: a zero quiet period would promote at the first event; give a quiet period"
                        + " (e.g. PT30S) or turn automatic promotion off");
        assertThatThrownBy(() -> BaselineConfig.defaults().withLearning(true, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessage("learning: min learning PT-1S and quiet period PT1S must not be negative");
        assertThatThrownBy(() -> new BaselineConfig(Mode.LEARN, false, Duration.ZERO, Duration.ZERO, 0, 1, 1, 1, 1, 1, 1,
                1, 1, 1)).hasMessage("max workloads: 0 must be at least 1");
    }

    @Test
    void checkingKnownFactsAllocatesNothing() {
        b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", NGINX, T0);
        b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0);
        b.dnsName(WEB, "api.example.com", T0);
        b.fileWrite(WEB, "web", "/var/cache/nginx/x", T0);
        b.listening(WEB, 8080, "tcp", T0);
        b.setMode(WEB, Mode.MONITOR, T0);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 3; warm++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            long known = 0;
            for (int i = 0; i < 100_000; i++) {
                known += b.exec(WEB, "web", "/usr/sbin/nginx", "nginx", NGINX, T0) == Verdict.KNOWN ? 1 : 0;
                known += b.peer(WEB, PeerKind.WORKLOAD, "shop", "db", 5432, "tcp", "postgresql", T0) == Verdict.KNOWN ? 1 : 0;
                known += b.dnsName(WEB, "api.example.com", T0) == Verdict.KNOWN ? 1 : 0;
                known += b.fileWrite(WEB, "web", "/var/cache/nginx/x", T0) == Verdict.KNOWN ? 1 : 0;
                known += b.listening(WEB, 8080, "tcp", T0) == Verdict.KNOWN ? 1 : 0;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(known).isEqualTo(500_000);
            if (warm == 2) {
                assertThat(allocated).as("bytes allocated by 500,000 known checks").isLessThan(4096);
            }
        }
    }
}
