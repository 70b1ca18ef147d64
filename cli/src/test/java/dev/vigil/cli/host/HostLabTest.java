package dev.vigil.cli.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.net.Identities;
import dev.vigil.host.enforce.ExecGuard;
import dev.vigil.host.enforce.NetworkQuarantine;
import dev.vigil.host.enforce.ProcessKiller;
import dev.vigil.host.watch.HostSensor;
import dev.vigil.lab.ExecResult;
import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.model.host.EnforcementAudit;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.record.LogRecord;
import dev.vigil.testkit.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host sensor against the real lab: every event is checked for the pod, container and image the
 * lab's API server names for the container (identity resolved by the kube module from the mock API),
 * and the enforcement primitives are shown to reach their target and nothing else.
 */
class HostLabTest {

    static LabStatus lab;
    static LabStatus.Pod api;
    static LabStatus.Container apiContainer;
    static LabStatus.Pod frontend;
    static Identities identity;
    static HostSensor sensor;
    static final List<Arrival> arrivals = new ArrayList<>();
    static final List<EnforcementAudit> audits = new CopyOnWriteArrayList<>();
    static Path probeInContainer;
    static Path shadow;

    record Arrival(HostEvent event, long receivedNanos) {
    }

    @BeforeAll
    static void start() throws Exception {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "gcc", "nft", "nsenter");
        lab = Lab.shared();
        api = lab.pod("shop-api", "api");
        apiContainer = api.containers().getFirst();
        frontend = lab.pod("shop-web", "frontend");
        Path root = Path.of("/proc/" + apiContainer.pid() + "/root");
        // Sensitive files the attacker will read; written into the container before it is watched.
        shadow = root.resolve("etc/shadow");
        if (!Files.exists(shadow)) {
            Files.writeString(shadow, "root:*:19000:0:99999:7:::\n");
        } else {
            shadow = null;
        }
        // The attacker's tool: a static binary copied into the running container (its upper layer).
        probeInContainer = root.resolve("tmp/vigil-probe");
        Files.copy(compileProbe(), probeInContainer, StandardCopyOption.REPLACE_EXISTING);
        probeInContainer.toFile().setExecutable(true);
        identity = Identities.open(Path.of(lab.kubeconfig()));
        sensor = new HostSensor(HostSensor.Config.DEFAULT.withInstance("vigil-test-lab"), identity.resolver(),
                HostLabTest::accept);
        sensor.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sensor != null) {
            sensor.close();
        }
        if (identity != null) {
            identity.close();
        }
        if (probeInContainer != null) {
            Files.deleteIfExists(probeInContainer);
        }
        if (shadow != null) {
            Files.deleteIfExists(shadow);
        }
    }

    static synchronized void accept(LogRecord r) {
        if (r instanceof HostEvent e) {
            arrivals.add(new Arrival(e, System.currentTimeMillis() * 1_000_000L));
            HostLabTest.class.notifyAll();
        }
    }

    static Path compileProbe() throws Exception {
        Path src = Files.createTempFile("vigil-probe", ".c");
        Files.copy(Requirements.projectRoot().resolve("host/src/test/resources/dev/vigil/host/probe.c"), src,
                StandardCopyOption.REPLACE_EXISTING);
        Path out = Files.createTempFile("vigil-probe", "");
        Process p = new ProcessBuilder("gcc", "-static", "-O2", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        Files.delete(src);
        out.toFile().deleteOnExit();
        return out;
    }

    static synchronized List<Arrival> await(Predicate<HostEvent> match, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<Arrival> found = arrivals.stream().filter(a -> match.test(a.event())).toList();
            long left = deadline - System.currentTimeMillis();
            if (found.size() >= count || left <= 0) {
                return found;
            }
            HostLabTest.class.wait(left);
        }
    }

    static HostEvent first(Predicate<HostEvent> match) throws InterruptedException {
        List<Arrival> found = await(match, 1);
        assertThat(found).as("no matching event among %d", arrivals.size()).isNotEmpty();
        return found.getFirst().event();
    }

    static Predicate<HostEvent> inApi(String type) {
        return e -> e.type().equals(type) && e.container() != null && e.container().id().equals(apiContainer.id());
    }

    /** Pod, container and image as the lab's API server has them. */
    static void assertApiIdentity(HostEvent e) {
        assertThat(e.field("k8s.ns.name")).isEqualTo("shop-api");
        assertThat(e.field("k8s.pod.name")).isEqualTo(api.name());
        assertThat(e.field("k8s.pod.uid")).isEqualTo(api.uid());
        assertThat(e.field("container.name")).isEqualTo(apiContainer.name());
        assertThat(e.field("container.id")).isEqualTo(apiContainer.id().substring(0, 12));
        assertThat(e.field("container.image")).isEqualTo(apiContainer.image());
        assertThat(e.field("container.image.digest")).isEqualTo(apiContainer.imageDigest());
    }

    static ExecResult exec(LabStatus.Pod pod, String... argv) {
        return Lab.exec(pod.namespace(), pod.name(), null, argv);
    }

    @Test
    void execInALabContainerIsReportedWithin100ms() throws Exception {
        assertThat(exec(api, "/bin/sleep", "0.3").ok()).isTrue();
        List<Arrival> found = await(inApi("execve").and(e -> e.proc().args() != null
                && e.proc().args().equals(List.of("/bin/sleep", "0.3"))), 1);
        assertThat(found).isNotEmpty();
        HostEvent e = found.getFirst().event();
        assertApiIdentity(e);
        assertThat(e.field("proc.is_exe_upper_layer")).isEqualTo(false);
        assertThat(found.getFirst().receivedNanos() - e.timeNanos()).as("exec to report, ns").isLessThan(100_000_000L);
    }

    @Test
    void processesLivingUnderOneMillisecondAreReported() throws Exception {
        assertThat(exec(api, "/tmp/vigil-probe", "storm", "100", "1", "/bin/true").ok()).isTrue();
        List<Arrival> found = await(inApi("execve").and(e -> "vigil-probe".equals(e.field("proc.pname"))), 100);
        assertThat(found).hasSize(100);
        found.forEach(a -> assertApiIdentity(a.event()));
    }

    @Test
    void readingShadowAndTheServiceAccountTokenAreFileEvents() throws Exception {
        exec(api, "/bin/cat", "/etc/shadow");
        exec(api, "/bin/cat", "/var/run/secrets/kubernetes.io/serviceaccount/token");
        HostEvent shadowRead = first(inApi("open").and(e -> "/etc/shadow".equals(e.field("fd.name"))));
        assertApiIdentity(shadowRead);
        assertThat(shadowRead.field("evt.is_open_read")).isEqualTo(true);
        HostEvent token = first(inApi("open").and(e -> String.valueOf(e.field("fd.name"))
                .startsWith("/var/run/secrets/kubernetes.io/serviceaccount/")));
        assertApiIdentity(token);
    }

    @Test
    void copiedBinaryIsDriftButImageBinariesAreNot() throws Exception {
        exec(api, "/tmp/vigil-probe", "symlink", "/tmp/a", "/tmp/b");
        HostEvent dropped = first(inApi("execve").and(e -> "/tmp/vigil-probe".equals(e.proc().exepath())));
        assertApiIdentity(dropped);
        assertThat(dropped.field("proc.is_exe_upper_layer")).isEqualTo(true);
        exec(api, "/bin/sleep", "0.2");
        HostEvent image = first(inApi("execve").and(e -> e.proc().args() != null
                && e.proc().args().equals(List.of("/bin/sleep", "0.2"))));
        assertThat(image.field("proc.is_exe_upper_layer")).isEqualTo(false);
        exec(api, "/tmp/vigil-probe", "memfd", "/bin/busybox", "sleep", "0.5");
        HostEvent memfd = first(inApi("execve").and(e -> Boolean.TRUE.equals(e.field("proc.is_exe_from_memfd"))));
        assertApiIdentity(memfd);
    }

    @Test
    void ptraceMemfdPacketSocketAndReverseShellAreSyscallEvents() throws Exception {
        exec(api, "/tmp/vigil-probe", "ptrace");
        assertApiIdentity(first(inApi("ptrace").and(e -> "syscall".equals(e.sensor()))));
        exec(api, "/tmp/vigil-probe", "memfd", "/bin/busybox", "sleep", "0.5");
        assertApiIdentity(first(inApi("memfd_create")));
        exec(api, "/tmp/vigil-probe", "packet");
        assertApiIdentity(first(inApi("socket").and(e -> e.args().startsWith("domain=AF_PACKET"))));

        Process listener = new ProcessBuilder(Lab.execArgv(api.namespace(), api.name(), null,
                List.of("/bin/nc", "-l", "-p", "4444"))).redirectErrorStream(true).start();
        try {
            Thread.sleep(500);
            Process shell = new ProcessBuilder(Lab.execArgv(api.namespace(), api.name(), null,
                    List.of("/tmp/vigil-probe", "revshell", "127.0.0.1", "4444"))).redirectErrorStream(true).start();
            shell.getOutputStream().close();
            HostEvent dup = first(inApi("dup2").and(e -> e.args().contains("newfd=0 ") && e.fd().sport() == 4444
                    && e.fd().cport() != 4444));
            assertApiIdentity(dup);
            assertThat(dup.field("fd.sip")).isEqualTo("127.0.0.1");
            assertApiIdentity(first(inApi("connect").and(e -> e.fd() != null && e.fd().sport() == 4444)));
            shell.destroyForcibly();
        } finally {
            listener.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void killReachesOnlyTheTargetedContainer() throws Exception {
        Process sleeper = new ProcessBuilder(Lab.execArgv(api.namespace(), api.name(), null,
                List.of("/bin/sleep", "1003"))).start();
        try {
            HostEvent started = first(inApi("execve").and(e -> e.proc().args() != null
                    && e.proc().args().equals(List.of("/bin/sleep", "1003"))));
            int pid = started.proc().pid();
            long frontendPid = frontend.containers().getFirst().pid();
            assertThat(new ProcessKiller(audits::add).kill((int) frontendPid, apiContainer.id(), "test").outcome())
                    .isEqualTo("refused");
            assertThat(new ProcessKiller(audits::add).kill(pid, apiContainer.id(), "test").outcome()).isEqualTo("done");
            first(inApi("procexit").and(e -> e.proc().pid() == pid && Integer.valueOf(9).equals(e.signal())));
            assertThat(Files.exists(Path.of("/proc/" + frontendPid))).isTrue();
            assertThat(Files.exists(Path.of("/proc/" + apiContainer.pid()))).as("the api server itself").isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void execDenialBlocksOnlyThePolicyFileInTheTargetedContainer() throws Exception {
        try (ExecGuard guard = new ExecGuard(p -> p.equals("/tmp/vigil-probe"), ExecGuard.DEFAULT_QUEUE,
                ExecGuard.DEFAULT_TIMEOUT_MILLIS, audits::add)) {
            assertThat(guard.guard((int) apiContainer.pid(), apiContainer.id(), "test").outcome()).isEqualTo("done");
            ExecResult denied = exec(api, "/tmp/vigil-probe", "packet");
            assertThat(denied.ok()).isFalse();
            assertThat(denied.stderr() + denied.stdout()).contains("operation not permitted");
            assertThat(exec(api, "/bin/true").ok()).isTrue();
            assertThat(exec(frontend, "/bin/true").ok()).isTrue();
            assertThat(audits).anyMatch(a -> a.action().equals("deny_exec") && apiContainer.id().equals(a.containerId()));
        }
        assertThat(exec(api, "/tmp/vigil-probe", "packet").ok()).isTrue();
    }

    @Test
    void quarantineCutsTheTargetPodOnlyAndLifts() throws Exception {
        LabStatus.Pod loadgen = lab.pod("loadgen", "loadgen");
        String apiUrl = "http://" + api.ip() + ":8080/";
        String frontendUrl = "http://" + frontend.ip() + "/";
        assertThat(fetch(loadgen, apiUrl)).as("api before").isTrue();
        NetworkQuarantine q = new NetworkQuarantine(audits::add, false);
        try {
            assertThat(q.quarantine((int) apiContainer.pid(), apiContainer.id(), "shop-api/" + api.name(),
                    NetworkQuarantine.Options.DEFAULT, "test").outcome()).isEqualTo("done");
            assertThat(fetch(loadgen, apiUrl)).as("api quarantined").isFalse();
            assertThat(fetch(loadgen, frontendUrl)).as("frontend unaffected").isTrue();
            assertThat(exec(api, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080").stdout())
                    .as("api's loopback").startsWith("HTTP/1.");
        } finally {
            q.close();
        }
        assertThat(fetch(loadgen, apiUrl)).as("api after lift").isTrue();
    }

    private static boolean fetch(LabStatus.Pod from, String url) {
        return Lab.exec(from.namespace(), from.name(), null, Duration.ofSeconds(15),
                "curl", "-s", "-o", "/dev/null", "-m", "3", url).ok();
    }
}
