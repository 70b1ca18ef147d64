package dev.vigil.host.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.host.TestPod;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnforceTest {

    static TestPod a;
    static TestPod b;
    static final List<EnforcementAudit> audits = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "gcc", "ip", "mount", "nft", "nsenter", "ping");
        a = TestPod.start("enforce-a");
        b = TestPod.start("enforce-b");
        // A lab link between the two pods' namespaces: 10.244.250.1 (a) <-> 10.244.250.2 (b).
        String suffix = a.id.substring(0, 6);
        TestPod.run(List.of("ip", "link", "add", "vigil-qa" + suffix, "type", "veth", "peer", "name", "vigil-qb" + suffix));
        TestPod.run(List.of("ip", "link", "set", "vigil-qa" + suffix, "netns", a.netns));
        TestPod.run(List.of("ip", "link", "set", "vigil-qb" + suffix, "netns", b.netns));
        TestPod.run(List.of("ip", "-n", a.netns, "addr", "add", "10.244.250.1/30", "dev", "vigil-qa" + suffix));
        TestPod.run(List.of("ip", "-n", b.netns, "addr", "add", "10.244.250.2/30", "dev", "vigil-qb" + suffix));
        TestPod.run(List.of("ip", "-n", a.netns, "link", "set", "vigil-qa" + suffix, "up"));
        TestPod.run(List.of("ip", "-n", b.netns, "link", "set", "vigil-qb" + suffix, "up"));
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Host pids of processes in {@code pod} whose command line contains {@code text}. */
    static List<Integer> pids(TestPod pod, String text) throws IOException {
        try (var dirs = Files.list(Path.of("/proc"))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::parseInt).filter(pid -> {
                        try {
                            return Files.readString(Path.of("/proc/" + pid + "/cgroup")).contains(pod.id)
                                    && Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ')
                                    .contains(text);
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }

    @Test
    void killReachesOnlyTheTargetedContainer() throws Exception {
        Process inA = a.execAsync("/bin/sleep", "1001");
        Process inB = b.execAsync("/bin/sleep", "1001");
        try {
            Thread.sleep(500);
            int victim = pids(a, "sleep 1001").getFirst();
            int bystander = pids(b, "sleep 1001").getFirst();
            ProcessKiller killer = new ProcessKiller(audits::add);

            EnforcementAudit refused = killer.kill(bystander, a.id, "test: wrong container");
            assertThat(refused.outcome()).isEqualTo("refused");
            assertThat(refused.detail()).contains("not in the targeted " + a.id);
            assertThat(Files.exists(Path.of("/proc/" + bystander))).isTrue();

            EnforcementAudit done = killer.kill(victim, a.id, "test: kill");
            assertThat(done.outcome()).isEqualTo("done");
            assertThat(done.toJson()).contains("\"action\":\"kill\"", "\"outcome\":\"done\"");
            for (int i = 0; i < 50 && !pids(a, "sleep 1001").isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertThat(pids(a, "sleep 1001")).isEmpty();
            assertThat(pids(b, "sleep 1001")).containsExactly(bystander);
            assertThat(Files.exists(Path.of("/proc/" + a.initPid()))).as("the rest of pod a").isTrue();
        } finally {
            inA.destroyForcibly();
            inB.destroyForcibly();
        }
    }

    @Test
    void killOfEndedProcessFailsWithoutHarm() {
        EnforcementAudit r = new ProcessKiller(audits::add).kill(Integer.MAX_VALUE - 1, a.id, "test");
        assertThat(r.outcome()).isEqualTo("failed");
        assertThat(r.detail()).contains("ESRCH");
    }

    @Test
    void execDenialBlocksThePolicyFileInTheGuardedContainerOnly() {
        try (ExecGuard guard = new ExecGuard(path -> path.equals("/bin/probe"), ExecGuard.DEFAULT_QUEUE,
                ExecGuard.DEFAULT_TIMEOUT_MILLIS, audits::add)) {
            assertThat(guard.guard(b.initPid(), a.id, "test: wrong container").outcome()).isEqualTo("refused");
            assertThat(guard.guard(a.initPid(), a.id, "test").outcome()).isEqualTo("done");

            assertThatThrownBy(() -> a.exec("/bin/probe", "packet")).hasMessageContaining("exec /bin/probe: operation not permitted");
            assertThat(a.exec("/bin/busybox", "echo", "allowed")).contains("allowed");
            assertThat(b.exec("/bin/probe", "packet")).isNotNull();
            assertThat(guard.denied()).isEqualTo(1);
            assertThat(audits).anyMatch(x -> x.action().equals("deny_exec") && x.target().equals("/bin/probe")
                    && a.id.equals(x.containerId()));
        }
        assertThat(a.exec("/bin/probe", "packet")).as("after the guard closed").isNotNull();
    }

    @Test
    void undecidedExecsAreAllowedAfterTheTimeout() {
        try (ExecGuard guard = new ExecGuard(path -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }, 4, 50, audits::add)) {
            guard.guard(a.initPid(), a.id, "test: slow policy");
            assertThat(a.exec("/bin/busybox", "echo", "still-runs")).contains("still-runs");
            assertThat(guard.timedOut()).isPositive();
        }
    }

    @Test
    void quarantineCutsOnlyTheTargetPodAndLifts() {
        NetworkQuarantine q = new NetworkQuarantine(audits::add, false);
        assertThat(ping(b, "10.244.250.1")).as("before").isTrue();

        assertThat(q.quarantine(b.initPid(), a.id, "vigil-test/enforce-a", NetworkQuarantine.Options.DEFAULT, "test")
                .outcome()).isEqualTo("refused");
        assertThat(q.quarantine(1, a.id, "host", NetworkQuarantine.Options.DEFAULT,
                "test").outcome()).isEqualTo("refused");

        EnforcementAudit done = q.quarantine(a.initPid(), a.id, "vigil-test/enforce-a",
                NetworkQuarantine.Options.DEFAULT, "test");
        assertThat(done.outcome()).as(done.detail()).isEqualTo("done");
        try {
            assertThat(ping(b, "10.244.250.1")).as("b to quarantined a").isFalse();
            assertThat(a.exec("/bin/ping", "-c", "1", "-W", "1", "127.0.0.1")).as("a's loopback").contains("1 packets received");
            assertThat(TestPod.run(List.of("nft", "list", "tables"))).doesNotContain(NetworkQuarantine.TABLE);
            assertThat(TestPod.run(List.of("ip", "netns", "exec", b.netns, "nft", "list", "tables")))
                    .doesNotContain(NetworkQuarantine.TABLE);
            assertThat(TestPod.run(List.of("ip", "netns", "exec", a.netns, "nft", "list", "tables")))
                    .contains(NetworkQuarantine.TABLE);
            assertThat(ping(b, "127.0.0.1")).as("b's own network").isTrue();
        } finally {
            q.close();
        }
        assertThat(TestPod.run(List.of("ip", "netns", "exec", a.netns, "nft", "list", "tables")))
                .doesNotContain(NetworkQuarantine.TABLE);
        assertThat(ping(b, "10.244.250.1")).as("after lift").isTrue();
        assertThat(audits).anyMatch(x -> x.action().equals("lift_quarantine") && x.outcome().equals("done"));
    }

    @Test
    void connectionBlockDropsOnePeerPortOfTheTargetPodOnly() throws Exception {
        Requirements.requireCommands("socat", "bash", "timeout");
        Process listener = new ProcessBuilder("ip", "netns", "exec", b.netns, "socat", "TCP-LISTEN:7777,reuseaddr,fork",
                "SYSTEM:echo hello").redirectErrorStream(true).start();
        ConnectionBlock block = new ConnectionBlock(audits::add, false);
        try {
            Thread.sleep(300);
            assertThat(tcp(a, "10.244.250.2", 7777)).as("before").isTrue();

            assertThat(block.block(b.initPid(), a.id, "vigil-test/enforce-a", ConnectionBlock.Direction.OUTBOUND,
                    "10.244.250.2", "tcp", 7777, "test").outcome()).isEqualTo("refused");
            assertThat(block.block(1, a.id, "host", ConnectionBlock.Direction.OUTBOUND, "10.244.250.2", "tcp", 7777,
                    "test").outcome()).isEqualTo("refused");
            assertThat(block.block(a.initPid(), a.id, "vigil-test/enforce-a", ConnectionBlock.Direction.OUTBOUND,
                    "10.244.250.2; flush ruleset", "tcp", 7777, "test").outcome()).isEqualTo("refused");

            EnforcementAudit done = block.block(a.initPid(), a.id, "vigil-test/enforce-a",
                    ConnectionBlock.Direction.OUTBOUND, "10.244.250.2", "tcp", 7777, "test");
            assertThat(done.outcome()).as(done.detail()).isEqualTo("done");
            assertThat(done.detail()).isEqualTo("nft: inet vigil_block output ip daddr 10.244.250.2 tcp dport 7777 counter drop");
            assertThat(tcp(a, "10.244.250.2", 7777)).as("a to the blocked peer").isFalse();
            assertThat(ping(a, "10.244.250.2")).as("a to the peer on other traffic").isTrue();
            assertThat(tcp(b, "127.0.0.1", 7777)).as("b's own port").isTrue();
            assertThat(TestPod.run(List.of("nft", "list", "tables"))).doesNotContain(ConnectionBlock.TABLE);
            assertThat(TestPod.run(List.of("ip", "netns", "exec", b.netns, "nft", "list", "tables")))
                    .doesNotContain(ConnectionBlock.TABLE);
            assertThat(block.block(a.initPid(), a.id, "vigil-test/enforce-a", ConnectionBlock.Direction.OUTBOUND,
                    "10.244.250.2", "tcp", 7777, "again").detail()).isEqualTo("already blocked");
        } finally {
            block.close();
            listener.destroyForcibly().waitFor();
        }
        assertThat(TestPod.run(List.of("ip", "netns", "exec", a.netns, "nft", "list", "tables")))
                .doesNotContain(ConnectionBlock.TABLE);
        assertThat(audits).anyMatch(x -> x.action().equals("lift_block") && x.outcome().equals("done"));
    }

    @Test
    void connectionBlockRulesNameOnlyAddressesAndPorts() {
        assertThat(ConnectionBlock.rule(ConnectionBlock.Direction.INBOUND, "fd00::1", "udp", 53))
                .isEqualTo("add rule inet vigil_block input ip6 saddr fd00::1 udp dport 53 counter drop");
        assertThat(ConnectionBlock.rule(ConnectionBlock.Direction.OUTBOUND, "10.0.0.1", "icmp", 0)).isNull();
        assertThat(ConnectionBlock.rule(ConnectionBlock.Direction.OUTBOUND, "10.0.0.1", "tcp", 65536)).isNull();
        assertThat(ConnectionBlock.rule(ConnectionBlock.Direction.OUTBOUND, "evil.example", "tcp", 80)).isNull();
    }

    private static boolean tcp(TestPod from, String ip, int port) {
        try {
            TestPod.run(List.of("ip", "netns", "exec", from.netns, "timeout", "2", "bash", "-c",
                    "exec 3<>/dev/tcp/" + ip + "/" + port + " && head -c 5 <&3"));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static boolean ping(TestPod from, String ip) {
        try {
            TestPod.run(List.of("ip", "netns", "exec", from.netns, "ping", "-c", "1", "-W", "1", ip));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
