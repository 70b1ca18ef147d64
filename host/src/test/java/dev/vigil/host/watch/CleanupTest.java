package dev.vigil.host.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.host.TestPod;
import dev.vigil.host.enforce.NetworkQuarantine;
import dev.vigil.host.syscall.FtraceInstance;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.testkit.Requirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CleanupTest {

    /** fanotify groups open in process {@code pid}. */
    static long fanotifyFds(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).toString().equals("anon_inode:[fanotify]");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void closeRemovesTheFtraceInstanceAndFanotifyGroups() throws Exception {
        Requirements.requireRoot();
        long before = fanotifyFds(ProcessHandle.current().pid());
        Path dir = FtraceInstance.TRACEFS.resolve("instances/vigil-test-close");
        HostSensor sensor = new HostSensor(HostSensor.Config.DEFAULT.withInstance("vigil-test-close"),
                IdentityResolver.NONE, r -> { });
        sensor.start();
        assertThat(Files.isDirectory(dir)).isTrue();
        // the notification group and the permission group of sensitive reads
        assertThat(fanotifyFds(ProcessHandle.current().pid())).isEqualTo(before + 2);
        sensor.close();
        assertThat(Files.exists(dir)).isFalse();
        assertThat(fanotifyFds(ProcessHandle.current().pid())).isEqualTo(before);
    }

    @Test
    void sigtermOfASeparateJvmRemovesInstanceAndQuarantine() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "gcc", "nft", "nsenter");
        Path dir = FtraceInstance.TRACEFS.resolve("instances/vigil-test-term");
        try (TestPod pod = TestPod.start("term-test")) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    SensorProcess.class.getName(), "vigil-test-term", Integer.toString(pod.initPid()), pod.id)
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = out.readLine()) != null && !line.equals("ready")) {
                    seen.append(line).append('\n');
                }
                assertThat(line).as("child output: %s", seen).isEqualTo("ready");
                assertThat(seen.toString()).contains("\"action\":\"quarantine\",\"outcome\":\"done\"");
                assertThat(Files.isDirectory(dir)).isTrue();
                assertThat(fanotifyFds(child.pid())).isEqualTo(2);
                assertThat(TestPod.run(List.of("ip", "netns", "exec", pod.netns, "nft", "list", "tables")))
                        .contains(NetworkQuarantine.TABLE);

                child.destroy();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.exists(dir)).as("ftrace instance after SIGTERM").isFalse();
                assertThat(TestPod.run(List.of("ip", "netns", "exec", pod.netns, "nft", "list", "tables")))
                        .as("quarantine table after SIGTERM").doesNotContain(NetworkQuarantine.TABLE);
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                if (Files.isDirectory(dir)) {
                    new FtraceInstance("vigil-test-term", 64).close();
                }
            }
        }
    }

    @Test
    void anInstanceLeftByAKilledSensorIsTakenOver() throws Exception {
        Requirements.requireRoot();
        Path dir = FtraceInstance.TRACEFS.resolve("instances/vigil-test-stale");
        Files.createDirectories(dir);
        try (FtraceInstance instance = new FtraceInstance("vigil-test-stale", 64)) {
            assertThat(TestPod.run(List.of("cat", dir.resolve("events/syscalls/sys_enter_socket/filter").toString())).strip())
                    .isEqualTo("family == 17");
        }
        assertThat(Files.exists(dir)).isFalse();
    }
}
