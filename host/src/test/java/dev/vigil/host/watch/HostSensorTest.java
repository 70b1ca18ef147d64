package dev.vigil.host.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.EventCollector;
import dev.vigil.host.TestPod;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.host.SensorStats;
import dev.vigil.testkit.Requirements;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class HostSensorTest {

    @Test
    void startupReportsSocketsOfEachPodWithTheirProcessesAndTheStreamEndsWithCounters() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "gcc", "ip", "mount");
        try (TestPod pod = TestPod.start("watch-test")) {
            Process listener = pod.execAsync("/bin/nc", "-l", "-p", "5555");
            Process server = pod.execAsync("/bin/nc", "-l", "-p", "5556");
            Thread.sleep(300);
            Process client = pod.execAsync("/bin/nc", "127.0.0.1", "5556");
            Thread.sleep(300);
            EventCollector events = new EventCollector();
            List<Object> stats = new CopyOnWriteArrayList<>();
            HostSensor sensor = new HostSensor(HostSensor.Config.DEFAULT.withInstance("vigil-test-watch")
                    .withFilter(EventCollector.in(pod)), TestPod.resolver(pod), r -> {
                        if (r instanceof HostEvent e) {
                            events.accept(e);
                        } else {
                            stats.add(r);
                        }
                    });
            try {
                sensor.start();
                Predicate<HostEvent> startup = e -> e.sensor().equals("startup") && e.fd() != null;
                HostEvent listen = events.first(startup.and(e -> e.type().equals("listen") && e.fd().sport() == 5555), 5000);
                assertThat(listen).as("listen: %s", events.all().stream().map(HostEvent::toJson).toList()).isNotNull();
                assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + listen.proc().pid() + "/cmdline")))
                        .as("the reported pid is the listener").isEqualTo("/bin/nc\0-l\0-p\0005555\0");
                assertThat(listen.proc().name()).isEqualTo("nc");
                assertThat(listen.proc().args()).containsExactly("/bin/nc", "-l", "-p", "5555");
                assertThat(listen.field("k8s.pod.name")).isEqualTo("watch-test");
                assertThat(listen.field("fd.l4proto")).isEqualTo("tcp");

                HostEvent accepted = events.first(startup.and(e -> e.type().equals("accept") && e.fd().sport() == 5556), 5000);
                assertThat(accepted).isNotNull();
                assertThat(accepted.proc().args()).containsExactly("/bin/nc", "-l", "-p", "5556");
                HostEvent connected = events.first(startup.and(e -> e.type().equals("connect") && e.fd().sport() == 5556), 5000);
                assertThat(connected).isNotNull();
                assertThat(connected.proc().args()).containsExactly("/bin/nc", "127.0.0.1", "5556");
                assertThat(connected.fd().cport()).isEqualTo(accepted.fd().cport());
            } finally {
                sensor.close();
                listener.destroyForcibly();
                server.destroyForcibly();
                client.destroyForcibly();
            }
            assertThat(stats).last().isInstanceOf(SensorStats.class);
            SensorStats last = (SensorStats) stats.getLast();
            assertThat(last.procLost()).isZero();
            assertThat(last.dropped()).isZero();
        }
    }
}
