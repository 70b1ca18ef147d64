package dev.vigil.kube.identity;

import static dev.vigil.kube.testing.InventoryFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kube.inventory.Kind;
import dev.vigil.kube.testing.KubeObjects;
import dev.vigil.kube.testing.MockClusterTest;
import dev.vigil.model.identity.Endpoint;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code resolve(ip, time)} after addresses move between pods, with events in and out of order. */
class AddressHistoryOverTimeTest extends MockClusterTest {

    private static final String IP = "10.244.1.10";

    private static Instant at(long seconds) {
        return BASE.plusSeconds(seconds);
    }

    private String podAt(long seconds) {
        Endpoint e = f.resolver.resolve(IP, at(seconds));
        return e instanceof Endpoint.Pod p ? p.name() : e.getClass().getSimpleName();
    }

    @Test
    void addressReusedAfterDeletionResolvesToEachPodInItsTime() {
        f.start();
        f.clock.set(at(10));
        Pod a = f.apply(KubeObjects.runningPod("shop", "api-a", IP, at(10), "node-1").build());
        f.clock.set(at(100));
        f.delete(a);
        f.clock.set(at(120));
        f.apply(KubeObjects.runningPod("shop", "api-b", IP, at(120), "node-1").build());

        assertThat(podAt(10)).isEqualTo("api-a");
        assertThat(podAt(99)).isEqualTo("api-a");
        assertThat(podAt(110)).as("free between the two").isEqualTo("External");
        assertThat(podAt(120)).isEqualTo("api-b");
        assertThat(podAt(5000)).isEqualTo("api-b");
        assertThat(podAt(0)).as("before anyone held it").isEqualTo("External");
    }

    @Test
    void newPodSeenBeforeTheOldOnesDeletionStillSplitsAtTheNewStart() {
        f.start();
        f.clock.set(at(10));
        Pod a = f.apply(KubeObjects.runningPod("shop", "api-a", IP, at(10), "node-1").build());
        f.clock.set(at(106));
        f.apply(KubeObjects.runningPod("shop", "api-b", IP, at(105), "node-1").build());
        assertThat(podAt(50)).isEqualTo("api-a");
        assertThat(podAt(110)).isEqualTo("api-b");

        f.clock.set(at(200));
        f.delete(a);
        assertThat(podAt(50)).isEqualTo("api-a");
        assertThat(podAt(104)).isEqualTo("api-a");
        assertThat(podAt(150)).as("a's late deletion does not take the address back").isEqualTo("api-b");
        assertThat(podAt(300)).isEqualTo("api-b");
    }

    @Test
    void finishedPodReleasesItsAddressAtItsLastContainerFinish() {
        f.start();
        f.clock.set(at(10));
        Pod job = KubeObjects.runningPod("batch", "report-28990", IP, at(10), "node-1").build();
        job = f.apply(job);
        f.clock.set(at(60));
        job.getStatus().setPhase("Succeeded");
        job.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName("report")
                .withNewState().withNewTerminated().withExitCode(0).withFinishedAt(at(40).toString()).endTerminated()
                .endState().build());
        f.apply(job);
        f.clock.set(at(70));
        f.apply(KubeObjects.runningPod("shop", "api-b", IP, at(70), "node-1").build());

        assertThat(podAt(30)).isEqualTo("report-28990");
        assertThat(podAt(40)).as("finishedAt has whole seconds: the second is widened").isEqualTo("report-28990");
        assertThat(podAt(55)).as("the completed pod still lists the address, but no longer holds it")
                .isEqualTo("External");
        assertThat(podAt(80)).isEqualTo("api-b");
    }

    @Test
    void podAlreadyFinishedWhenFirstSeenIsRecordedAsHistory() {
        Pod done = KubeObjects.runningPod("batch", "report-1", IP, at(10), "node-1").editStatus().withPhase("Failed")
                .addNewContainerStatus().withName("report").withNewState().withNewTerminated().withExitCode(1)
                .withFinishedAt(at(30).toString()).endTerminated().endState().endContainerStatus().endStatus().build();
        f.apply(done);
        f.apply(KubeObjects.runningPod("shop", "api-b", IP, at(50), "node-1").build());
        f.clock.set(at(500));
        f.start();

        assertThat(podAt(20)).isEqualTo("report-1");
        assertThat(podAt(45)).isEqualTo("External");
        assertThat(podAt(60)).isEqualTo("api-b");
        f.apply(done);
        assertThat(f.resolver.stats().closedTenures()).as("an update of the finished pod records nothing new")
                .isEqualTo(1);
    }

    @Test
    void historyPerAddressIsBoundedAtTheLimit() {
        int limit = 3;
        f.start(Kind.IDENTITY, HistorySettings.DEFAULTS.withMaxHistoryPerAddress(limit));
        for (int i = 0; i <= limit; i++) {
            f.clock.set(at(100L * i + 10));
            Pod p = f.apply(KubeObjects.runningPod("shop", "api-" + i, IP, at(100L * i + 10), "node-1").build());
            f.clock.set(at(100L * i + 50));
            f.delete(p);
        }
        ResolverStats stats = f.resolver.stats();
        assertThat(stats.closedTenures()).isEqualTo(limit);
        assertThat(stats.tenuresEvictedPerAddress()).isEqualTo(1);
        assertThat(podAt(20)).as("the oldest went first").isEqualTo("External");
        for (int i = 1; i <= limit; i++) {
            assertThat(podAt(100L * i + 20)).isEqualTo("api-" + i);
        }
    }

    /** Starts with a 30-minute retention; pod api-a holds the address from 10 s to 100 s. */
    private void podHeldTheAddressFrom10To100WithHalfHourRetention() {
        f.start(Kind.IDENTITY, HistorySettings.DEFAULTS.withRetention(Duration.ofMinutes(30)));
        f.clock.set(at(10));
        Pod a = f.apply(KubeObjects.runningPod("shop", "api-a", IP, at(10), "node-1").build());
        f.clock.set(at(100));
        f.delete(a);
    }

    @Test
    void historyExpiresAfterTheRetention() {
        podHeldTheAddressFrom10To100WithHalfHourRetention();
        f.clock.set(at(100 + 1800));
        f.resolver.sweep();
        assertThat(podAt(50)).isEqualTo("api-a");
        f.clock.set(at(100 + 1801));
        f.resolver.sweep();
        assertThat(podAt(50)).isEqualTo("External");
        assertThat(f.resolver.stats().tenuresExpired()).isEqualTo(1);
    }

    @Test
    void changesSweepExpiredHistoryOnTheirOwn() {
        podHeldTheAddressFrom10To100WithHalfHourRetention();
        f.clock.set(at(100 + 3600));
        f.apply(KubeObjects.service("shop", "web", "10.96.0.20"));
        assertThat(f.resolver.stats().tenuresExpired()).isEqualTo(1);
    }
}
