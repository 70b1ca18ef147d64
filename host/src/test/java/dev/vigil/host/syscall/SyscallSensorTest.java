package dev.vigil.host.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.EventCollector;
import dev.vigil.host.SensorRig;
import dev.vigil.host.TestPod;
import dev.vigil.host.file.SensitiveFiles;
import dev.vigil.model.host.HostEvent;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyscallSensorTest {

    static SensorRig rig;
    static TestPod pod;
    static EventCollector events;
    static SyscallSensor sensor;

    @BeforeAll
    static void start() {
        rig = SensorRig.start("syscall-test");
        pod = rig.pod();
        events = rig.events;
        // The process sensor tells the syscall sensor about processes that end before /proc is read.
        rig.processes(false);
        sensor = rig.add(new SyscallSensor("vigil-test-syscall", rig.catalog, SensitiveFiles.DEFAULT, events));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static HostEvent await(String type, Predicate<HostEvent> more) {
        HostEvent e = events.first(x -> x.type().equals(type) && EventCollector.in(pod).test(x) && more.test(x), 5000);
        assertThat(e).as("%s event from the pod (sensor failures %d, last %s); got %s", type, sensor.failures(),
                sensor.lastFailure(), events.all().stream()
                .filter(x -> EventCollector.in(pod).test(x) || x.type().equals(type)).map(HostEvent::toJson).toList())
                .isNotNull();
        assertThat(e.sensor()).isEqualTo("syscall");
        assertThat(e.field("k8s.pod.name")).isEqualTo("syscall-test");
        assertThat(e.field("container.name")).isEqualTo("app");
        assertThat(e.field("container.image.repository")).isEqualTo("registry.vigil.test/busybox");
        return e;
    }

    @Test
    void ptraceAttachIsReported() {
        pod.exec("/bin/probe", "ptrace");
        HostEvent e = await("ptrace", x -> x.args().contains("PTRACE_ATTACH"));
        assertThat(e.proc().name()).isEqualTo("probe");
    }

    @Test
    void memfdCreateIsReportedWithItsName() {
        pod.exec("/bin/probe", "memfd", "/bin/busybox", "sleep", "0.5");
        HostEvent e = await("memfd_create", x -> true);
        // The name is read from the caller's memory after the call: fexecve may have replaced it already.
        assertThat(e.args()).matches("name=(vigil-probe|null) flags=0");
    }

    @Test
    void packetSocketIsReported() {
        pod.exec("/bin/probe", "packet");
        HostEvent e = await("socket", x -> true);
        assertThat(e.args()).startsWith("domain=AF_PACKET");
        assertThat(e.proc().name()).isEqualTo("probe");
    }

    @Test
    void shellWiredToTcpSocketIsReportedAsDup2AndConnect() throws Exception {
        Process listener = pod.execAsync("/bin/nc", "-l", "-p", "4444");
        try {
            Thread.sleep(300);
            Process shell = pod.execAsync("/bin/probe", "revshell", "127.0.0.1", "4444");
            shell.getOutputStream().close();
            HostEvent connect = await("connect", x -> x.fd() != null && x.fd().sport() == 4444);
            assertThat(connect.field("fd.sip")).isEqualTo("127.0.0.1");
            assertThat(connect.field("fd.l4proto")).isEqualTo("tcp");
            assertThat(connect.field("fd.typechar")).isEqualTo("4");
            HostEvent dup = await("dup2", x -> x.args().contains("newfd=0 "));
            assertThat(dup.field("fd.sport")).isEqualTo(4444L);
            assertThat(dup.field("fd.name").toString()).endsWith("->127.0.0.1:4444");
            assertThat(dup.args()).endsWith(" socket=connected");
        } finally {
            listener.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void symlinkToShadowIsReportedButOrdinaryLinksAreNot() {
        pod.exec("/bin/probe", "symlink", "/etc/hostname", "/tmp/plain");
        pod.exec("/bin/probe", "symlink", "/etc/shadow", "/tmp/stolen");
        HostEvent e = await("symlink", x -> x.fd() != null);
        assertThat(e.fd().name()).isEqualTo("/etc/shadow");
        assertThat(e.args()).contains("linkpath=/tmp/stolen");
        assertThat(events.all()).noneMatch(x -> x.args() != null && x.args().contains("/etc/hostname"));
    }

    @Test
    void ownProcessIsFilteredAndInstanceExists() throws Exception {
        assertThat(Files.isDirectory(sensor.instance().dir())).isTrue();
        try (var s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", 1), 500);
        } catch (java.io.IOException expected) {
            // refused: the connect itself is what the sensor must not report
        }
        Thread.sleep(300);
        assertThat(events.all()).noneMatch(x -> x.proc().pid() == ProcessHandle.current().pid());
    }
}
