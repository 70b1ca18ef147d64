package dev.vigil.host.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.EventCollector;
import dev.vigil.host.TestPod;
import dev.vigil.host.container.ContainerCatalog;
import dev.vigil.model.host.HostEvent;
import dev.vigil.testkit.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DriftTest {

    static TestPod pod;
    static EventCollector events;
    static ProcessSensor sensor;

    @BeforeAll
    static void start() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "gcc", "ip", "mount");
        pod = TestPod.start("drift-test");
        events = new EventCollector();
        sensor = new ProcessSensor(ProcessSensor.Config.DEFAULT, new ContainerCatalog(TestPod.resolver(pod)), events);
        sensor.start(false);
    }

    @AfterAll
    static void stop() {
        if (sensor != null) {
            sensor.close();
        }
        if (pod != null) {
            pod.close();
        }
    }

    private static HostEvent exec(String exepath) {
        HostEvent e = events.first(x -> x.type().equals("execve") && EventCollector.in(pod).test(x)
                && exepath.equals(x.proc().exepath()), 5000);
        assertThat(e).as("execve of %s; got %s", exepath, events.all().stream().filter(EventCollector.in(pod))
                .map(HostEvent::toJson).toList()).isNotNull();
        assertThat(e.field("k8s.pod.name")).isEqualTo("drift-test");
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
