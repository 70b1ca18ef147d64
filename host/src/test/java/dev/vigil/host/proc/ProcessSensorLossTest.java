package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.TestPod;
import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.testkit.Requirements;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Loss is detected, counted and followed by a resynchronisation when the socket overflows. */
class ProcessSensorLossTest {

    @Test
    void overflowIsCountedAndResynchronised() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("gcc", "taskset");
        AtomicLong delivered = new AtomicLong();
        // A tiny socket buffer and a consumer slower than an exec storm: the kernel must drop events.
        ProcessSensor.Config tiny = new ProcessSensor.Config(true, 65_536, 4096, 2);
        try (ProcessSensor sensor = new ProcessSensor(tiny, new ContainerCatalog(IdentityResolver.NONE), e -> {
            delivered.incrementAndGet();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        })) {
            sensor.start(false);
            TestPod.run(List.of(TestPod.probe().toString(), "storm", "3000", "1", "/bin/true"));
            for (int i = 0; i < 100 && sensor.overflows() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(sensor.overflows()).as("ENOBUFS seen").isPositive();
            for (int i = 0; i < 200 && sensor.resyncs() < sensor.overflows(); i++) {
                Thread.sleep(50);
            }
            assertThat(sensor.resyncs()).as("a /proc rescan after each overflow").isEqualTo(sensor.overflows());
            assertThat(sensor.lost()).as("events missed, from the connector's sequence numbers").isPositive();
            // The slow consumer is still draining the socket after the storm: wait for it, bounded. Loss is
            // known from a gap in a CPU's sequence numbers, so events dropped at the storm's tail show only
            // when that CPU reports again: on an idle machine nothing else would, so a process per CPU does.
            for (int i = 0; i < 200 && sensor.events() + sensor.lost() < 3 * 3000L; i++) {
                if (i % 20 == 0) {
                    for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
                        new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "true").start().waitFor();
                    }
                }
                Thread.sleep(50);
            }
            assertThat(sensor.events() + sensor.lost()).isGreaterThanOrEqualTo(3 * 3000L);
        }
    }
}
