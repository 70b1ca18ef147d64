package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.EventCollector;
import dev.vigil.host.TestPod;
import dev.vigil.host.SensorRig;
import dev.vigil.model.host.HostEvent;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessSensorTest {

    static SensorRig rig;
    static TestPod pod;
    static EventCollector events;

    @BeforeAll
    static void start() {
        rig = SensorRig.start("proc-test");
        pod = rig.pod();
        events = rig.events;
        rig.processes(true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (rig == null) {
            return;
        }
        if (System.getenv("VIGIL_DUMP") != null) {
            java.nio.file.Files.write(java.nio.file.Path.of(System.getenv("VIGIL_DUMP")),
                    events.all().stream().map(HostEvent::toJson).toList());
        }
        rig.close();
    }

    private static void assertIdentity(HostEvent e) {
        assertThat(e.container().id()).isEqualTo(pod.id);
        assertThat(e.field("k8s.pod.name")).isEqualTo("proc-test");
        assertThat(e.field("k8s.ns.name")).isEqualTo("vigil-test");
        assertThat(e.field("container.name")).isEqualTo("app");
        assertThat(e.field("container.image.repository")).isEqualTo("registry.vigil.test/busybox");
        assertThat(e.field("container.image.digest")).isEqualTo("sha256:" + "ab".repeat(32));
    }

    @Test
    void runningContainerProcessIsReportedAtStartup() {
        int init = pod.initPid();
        HostEvent e = events.first(x -> x.type().equals("process") && x.proc().pid() == init, 5000);
        assertThat(e).as("start-up event of the container's sleep").isNotNull();
        assertIdentity(e);
        assertThat(e.proc().args()).containsExactly("/bin/sleep", "3600");
    }

    @Test
    void execInsideContainerIsReportedWithin100ms() {
        pod.exec("/bin/sleep", "0.3");
        List<EventCollector.Arrival> found = events.await(
                x -> x.type().equals("execve") && EventCollector.in(pod).test(x)
                        && x.proc().args() != null && x.proc().args().contains("0.3"), 1, 5000);
        assertThat(found).hasSize(1);
        HostEvent e = found.getFirst().event();
        assertIdentity(e);
        assertThat(e.proc().name()).isEqualTo("sleep");
        assertThat(e.proc().exepath()).isEqualTo("/bin/busybox");
        assertThat(e.field("proc.cmdline")).isEqualTo("sleep 0.3");
        assertThat(e.field("proc.pname")).isEqualTo("runc");
        assertThat(e.field("user.name")).isEqualTo("root");
        assertThat(e.field("proc.is_exe_upper_layer")).isEqualTo(false);
        assertThat(e.field("proc.is_exe_from_memfd")).isEqualTo(false);
        assertThat(e.proc().mntNs()).isPositive();
        assertThat(e.proc().startNanos()).isPositive();
        long latency = found.getFirst().receivedNanos() - e.timeNanos();
        assertThat(latency).as("exec to report, ns").isLessThan(100_000_000L);
    }

    @Test
    void processLivingUnderOneMillisecondIsStillReported() {
        pod.exec("/bin/probe", "storm", "200", "1", "/bin/true");
        List<EventCollector.Arrival> found = events.await(
                x -> x.type().equals("execve") && EventCollector.in(pod).test(x)
                        && "probe".equals(x.field("proc.pname")), 200, 5000);
        assertThat(found).hasSize(200);
        // A process that ends while being read loses its command line first: then only the name is known.
        assertThat(found).allMatch(a -> a.event().proc().args() == null || a.event().proc().args().isEmpty()
                || a.event().proc().args().equals(List.of("/bin/true")));
        assertThat(found).allMatch(a -> List.of("true", "probe").contains(a.event().proc().name()));
        found.forEach(a -> assertIdentity(a.event()));
        List<HostEvent> exits = events.await(x -> x.type().equals("procexit") && EventCollector.in(pod).test(x)
                && "true".equals(x.proc().name()), 1, 5000).stream().map(EventCollector.Arrival::event).toList();
        assertThat(exits).isNotEmpty();
    }

    private static HostEvent exec(String exepath) {
        HostEvent e = events.first(x -> x.type().equals("execve") && EventCollector.in(pod).test(x)
                && exepath.equals(x.proc().exepath()), 5000);
        assertThat(e).as("execve of %s; got %s", exepath, events.all().stream().filter(EventCollector.in(pod))
                .map(HostEvent::toJson).toList()).isNotNull();
        assertThat(e.field("k8s.pod.name")).isEqualTo("proc-test");
        assertThat(e.field("container.image.repository")).isEqualTo("registry.vigil.test/busybox");
        return e;
    }

    @Test
    void binaryCopiedIntoTheContainerIsDriftButImageBinariesAreNot() {
        pod.exec("/bin/cp", "/bin/probe", "/tmp/dropped");
        pod.exec("/tmp/dropped", "symlink", "/tmp/a", "/tmp/b");
        HostEvent dropped = exec("/tmp/dropped");
        assertThat(dropped.field("proc.is_exe_upper_layer")).isEqualTo(true);
        assertThat(dropped.field("proc.is_exe_from_memfd")).isEqualTo(false);

        pod.exec("/bin/probe", "symlink", "/tmp/c", "/tmp/d");
        HostEvent image = exec("/bin/probe");
        assertThat(image.field("proc.is_exe_upper_layer")).isEqualTo(false);
        assertThat(image.field("proc.is_exe_from_memfd")).isEqualTo(false);
    }

    @Test
    void executionFromMemfdIsMarked() {
        pod.exec("/bin/probe", "memfd", "/bin/busybox", "sleep", "0.5");
        HostEvent e = exec("/memfd:vigil-probe (deleted)");
        assertThat(e.field("proc.is_exe_from_memfd")).isEqualTo(true);
        assertThat(e.proc().args()).containsExactly("sleep", "0.5");
    }
}
