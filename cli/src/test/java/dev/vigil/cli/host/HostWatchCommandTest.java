package dev.vigil.cli.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.testkit.Requirements;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HostWatchCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Vigil.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void watchWritesEventsAndStatsAndRemovesItsInstance(@TempDir Path dir) throws Exception {
        Requirements.requireRoot();
        Path out = dir.resolve("events.jsonl");
        Thread load = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20; i++) {
                try {
                    new ProcessBuilder("/bin/sleep", "0.2").start().waitFor();
                    Thread.sleep(50);
                } catch (Exception e) {
                    return;
                }
            }
        });
        StringWriter err = new StringWriter();
        int code = run(err, "host", "watch", "--jsonl", out.toString(), "--duration", "3", "--stats-interval", "1",
                "--ftrace-instance", "vigil-test-cli");
        load.join();
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).anyMatch(l -> l.startsWith("{\"log\":\"host\",") && l.contains("\"evt.type\":\"execve\"")
                && l.contains("\"proc.cmdline\":\"sleep 0.2\""));
        assertThat(lines).anyMatch(l -> l.contains("\"evt.type\":\"process\"") && l.contains("\"vigil.sensor\":\"startup\""));
        assertThat(lines.getLast()).startsWith("{\"log\":\"host_stats\",").contains("\"proc.lost\":0", "\"dropped\":0");
        assertThat(Files.exists(Path.of("/sys/kernel/tracing/instances/vigil-test-cli"))).isFalse();
        assertThat(System.err).isNotNull();
    }

    @Test
    void durationEndsTheWatchAlsoWithoutPeriodicStats(@TempDir Path dir) {
        Requirements.requireRoot();
        long start = System.nanoTime();
        int code = run(new StringWriter(), "host", "watch", "--jsonl", dir.resolve("e.jsonl").toString(), "--duration",
                "1", "--stats-interval", "0", "--ftrace-instance", "vigil-test-cli");
        assertThat(code).isZero();
        assertThat(System.nanoTime() - start).as("regression: a 0 interval overflowed the deadline")
                .isLessThan(30_000_000_000L);
    }

    @Test
    void malformedPodIsAUsageErrorThatSaysWhatToType() {
        StringWriter err = new StringWriter();
        int code = run(err, "host", "watch", "--pod", "justaname", "--duration", "1");
        if (Requirements.onCi() || isRoot()) {
            assertThat(code).isEqualTo(Vigil.EXIT_USAGE);
            assertThat(err.toString()).contains("--pod: 'justaname' is not NAMESPACE/NAME, e.g. --pod shop/api-7d9c");
        }
    }

    @Test
    void unreadableKubeconfigIsNamed() {
        Requirements.requireRoot();
        StringWriter err = new StringWriter();
        int code = run(err, "host", "watch", "--kubeconfig", "/nonexistent/kubeconfig", "--duration", "1");
        assertThat(code).isEqualTo(Vigil.EXIT_FAILURE);
        assertThat(err.toString()).contains("kubeconfig /nonexistent/kubeconfig (--kubeconfig) does not exist");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
