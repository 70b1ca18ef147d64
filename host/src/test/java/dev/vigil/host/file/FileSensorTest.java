package dev.vigil.host.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.EventCollector;
import dev.vigil.host.SensorRig;
import dev.vigil.host.TestPod;
import dev.vigil.model.host.HostEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FileSensorTest {

    static SensorRig rig;
    static TestPod pod;
    static TestPod other;
    static EventCollector events;
    static FileSensor sensor;

    @BeforeAll
    static void start() throws Exception {
        rig = SensorRig.start("file-test", "file-other");
        pod = rig.pods.get(0);
        other = rig.pods.get(1);
        events = rig.events;
        rig.processes(false);
        sensor = rig.add(new FileSensor(rig.catalog, SensitiveFiles.DEFAULT, true, events));
        assertThat(sensor.watch(pod.id, pod.initPid())).isTrue();
        for (int i = 0; i < 100 && !sensor.watching(pod.id); i++) {
            Thread.sleep(20);
        }
        assertThat(sensor.watching(pod.id)).isTrue();
        assertThat(sensor.markFailures()).isZero();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static HostEvent await(Predicate<HostEvent> match) {
        HostEvent e = events.first(x -> EventCollector.in(pod).test(x) && match.test(x), 5000);
        assertThat(e).as("file event; got %s", events.all().stream().map(HostEvent::toJson).toList()).isNotNull();
        assertThat(e.sensor()).isEqualTo("file");
        assertThat(e.type()).isEqualTo("open");
        assertThat(e.field("k8s.pod.name")).isEqualTo("file-test");
        assertThat(e.field("container.name")).isEqualTo("app");
        assertThat(e.field("container.image.repository")).isEqualTo("registry.vigil.test/busybox");
        return e;
    }

    @Test
    void readingShadowIsReported() {
        pod.exec("/bin/cat", "/etc/shadow");
        HostEvent e = await(x -> "/etc/shadow".equals(x.field("fd.name")));
        assertThat(e.field("evt.is_open_read")).isEqualTo(true);
        assertThat(e.field("evt.is_open_write")).isEqualTo(false);
    }

    @Test
    void readingServiceAccountTokenIsReported() {
        pod.exec("/bin/head", "-c", "3", "/var/run/secrets/kubernetes.io/serviceaccount/token");
        await(x -> "/var/run/secrets/kubernetes.io/serviceaccount/token".equals(x.field("fd.name")));
    }

    @Test
    void readingSshKeyIsReportedButOrdinaryFilesAreNot() throws Exception {
        pod.exec("/bin/cat", "/etc/passwd");
        pod.exec("/bin/cat", "/root/.ssh/id_rsa");
        await(x -> "/root/.ssh/id_rsa".equals(x.field("fd.name")));
        assertThat(events.all()).noneMatch(x -> x.fd() != null && x.fd().name().equals("/etc/passwd"));
    }

    @Test
    void writingBelowBinIsReported() {
        pod.exec("/bin/cp", "/bin/busybox", "/bin/dropped");
        HostEvent e = await(x -> "/bin/dropped".equals(x.field("fd.name")));
        assertThat(e.field("evt.is_open_write")).isEqualTo(true);
        pod.exec("/bin/sh", "-c", "echo x > /tmp/not-system");
        assertThat(events.all()).noneMatch(x -> x.fd() != null && x.fd().name().equals("/tmp/not-system"));
    }

    @Test
    void executionsAreReported() {
        pod.exec("/bin/probe", "packet");
        HostEvent e = await(x -> "/bin/probe".equals(x.field("fd.name")));
        assertThat(e.field("evt.is_open_exec")).isEqualTo(true);
    }

    @Test
    void otherContainersAreNotWatched() throws Exception {
        other.exec("/bin/cat", "/etc/shadow");
        Thread.sleep(300);
        assertThat(events.all()).noneMatch(x -> x.container() != null && x.container().id().equals(other.id));
        assertThat(Files.exists(Path.of("/proc/self/fd"))).isTrue();
    }
}
