package dev.vigil.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.identity.WorkloadRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

    static final long S = 1_000_000_000L;
    static final long T0 = PolicyYamlTest.T0;
    static final WorkloadRef WEB = PolicyYamlTest.WEB;
    static final WorkloadRef DB = new WorkloadRef("shop", "StatefulSet", "db");

    @TempDir
    Path state;

    @Test
    void aRestartKeepsBaselinesAndModes() throws IOException {
        Baselines before = PolicyYamlTest.learned();
        before.exec(DB, "db", "/usr/lib/postgresql/17/bin/postgres", "postgres", List.of("postgres", "-D", "/data"), T0);
        before.setMode(DB, Mode.PROTECT, T0 + S);
        PolicyStore store = new PolicyStore(state);
        assertThat(store.save(before, T0)).isEqualTo(2);
        assertThat(store.file(WEB)).exists().hasFileName("shop_Deployment_web.yaml");

        Baselines after = new Baselines(BaselinesTest.lab());
        assertThat(new PolicyStore(state).load(after, T0 + 10 * S)).isEqualTo(2);
        assertThat(after.policies()).isEqualTo(before.policies());
        assertThat(after.mode(WEB)).isEqualTo(Mode.MONITOR);
        assertThat(after.mode(DB)).isEqualTo(Mode.PROTECT);
        assertThat(after.exec(DB, "db", "/usr/lib/postgresql/17/bin/postgres", "postgres", List.of("postgres", "-D", "/data"),
                T0 + 20 * S)).isEqualTo(Verdict.KNOWN);
        assertThat(after.exec(DB, "db", "/bin/bash", "bash", List.of("bash"), T0 + 20 * S)).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void onlyChangedWorkloadsAreWrittenAgain() throws IOException {
        Baselines b = PolicyYamlTest.learned();
        b.exec(DB, "db", "/postgres", "postgres", List.of("postgres"), T0);
        PolicyStore store = new PolicyStore(state);
        assertThat(store.save(b, T0)).isEqualTo(2);
        assertThat(store.save(b, T0)).isZero();
        b.exec(DB, "db", "/postgres", "postgres", List.of("postgres"), T0 + S);
        assertThat(store.save(b, T0)).as("a known fact changes nothing").isZero();
        b.exec(DB, "db", "/pg_dump", "pg_dump", List.of("pg_dump"), T0 + S);
        assertThat(store.save(b, T0)).isEqualTo(1);
        b.promote(T0 + 10_000 * S);
        assertThat(store.save(b, T0)).as("promotion is a change").isEqualTo(1);
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".lock", "shop_Deployment_web.yaml", "shop_StatefulSet_db.yaml");
        }
    }

    @Test
    void aModeSetByACommandWhileTheAgentRunsIsTakenUpNotOverwritten() throws IOException {
        Baselines agent = PolicyYamlTest.learned();
        PolicyStore agentStore = new PolicyStore(state);
        agentStore.save(agent, T0);

        PolicyStore command = new PolicyStore(state);
        WorkloadPolicy p = command.read(WEB, T0).orElseThrow();
        command.write(new WorkloadPolicy(p.workload(), Mode.PROTECT, p.learningStartedNanos(), p.lastChangeNanos(),
                T0 + 50 * S, p.peers(), p.listening(), p.dnsNames(), p.containers()));

        agent.dnsName(WEB, "new.example.com", T0 + 51 * S);
        agentStore.save(agent, T0 + 52 * S);
        assertThat(agent.mode(WEB)).isEqualTo(Mode.PROTECT);
        assertThat(command.read(WEB, T0).orElseThrow().mode()).isEqualTo(Mode.PROTECT);
        assertThat(agent.exec(WEB, "web", "/usr/bin/whoami", "whoami", List.of("whoami"), T0 + 53 * S)).isEqualTo(Verdict.BLOCK);
    }

    @Test
    void readersNeverSeeATornFileWhileItIsRewritten() throws Exception {
        Baselines agent = PolicyYamlTest.learned();
        PolicyStore store = new PolicyStore(state);
        store.save(agent, T0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    assertThat(PolicyYaml.read(Files.readString(store.file(WEB)), "f", 0)).hasSize(1);
                    reads.incrementAndGet();
                } catch (Throwable e) {
                    failure.set(e);
                    return;
                }
            }
        });
        try {
            for (int i = 0; i < 200; i++) {
                agent.dnsName(WEB, "n" + i + ".example.com", T0 + i);
                store.save(agent, T0);
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        try (Stream<Path> files = Files.list(store.directory())) {
            assertThat(files.filter(f -> f.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void leftoversOfACrashAreIgnoredAndABadFileIsNamed() throws IOException {
        PolicyStore store = new PolicyStore(state);
        store.save(PolicyYamlTest.learned(), T0);
        Files.writeString(store.directory().resolve(".shop_Deployment_web.yaml123.tmp"), "version: [");
        assertThat(new PolicyStore(state).readAll(0)).hasSize(1);
        Path bad = store.directory().resolve("x_Pod_y.yaml");
        Files.writeString(bad, "version: 1\nworkloads: [{mode: learn}]\n");
        assertThatThrownBy(() -> new PolicyStore(state).load(new Baselines(BaselinesTest.lab()), 0))
                .isInstanceOf(PolicyFileException.class).hasMessage(bad + ": workloads[0].workload: missing");
    }

    @Test
    void fileNamesStayInTheDirectory() {
        PolicyStore store = new PolicyStore(state);
        Path f = store.file(new WorkloadRef("../etc", "Pod", "a/b_c"));
        assertThat(f.getParent()).isEqualTo(store.directory());
        assertThat(f.getFileName().toString()).isEqualTo("..%2Fetc_Pod_a%2Fb%5Fc.yaml");
    }

    @Test
    void deleteRemovesAPolicy() throws IOException {
        PolicyStore store = new PolicyStore(state);
        store.save(PolicyYamlTest.learned(), T0);
        assertThat(store.delete(WEB)).isTrue();
        assertThat(store.delete(WEB)).isFalse();
        assertThat(store.readAll(0)).isEmpty();
    }
}
