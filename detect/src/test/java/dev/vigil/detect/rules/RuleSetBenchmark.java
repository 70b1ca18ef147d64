package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.FieldSource;
import dev.vigil.detect.rules.fields.HostContext;
import dev.vigil.detect.rules.fields.HostFields;
import dev.vigil.detect.rules.fields.NetContext;
import dev.vigil.detect.rules.fields.NetFields;
import dev.vigil.model.host.HostEvent;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.WorkloadRef;
import dev.vigil.model.net.ConnId;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.net.DnsRecord;
import dev.vigil.model.net.HttpRecord;
import dev.vigil.model.record.LogRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Vigil's default rule set evaluated over a realistic mix of events, one thread: the figure is
 * events per second per core. Each {@code HostEvent} is bound into the context first (what the
 * agent does for every sensor event), so per-event caches are rebuilt as in production.
 *
 * <p>Host mix of {@value #EVENTS} events from a node running web, worker and database pods:
 * process starts (25%, with deep ancestries and arguments), forks (20%), exits (25%), file opens
 * (20%: configuration, libraries, logs, a few credential reads by trusted programs), connects
 * (8%), and other reported calls (2%); one event in 1000 is an attack that matches a rule. The
 * network benchmark evaluates conn (50%), http (30%, one SQL injection in 1000) and dns (20%) records
 * with their identities.
 *
 * <p>Run: {@code bench/jmh.sh detect RuleSetBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleSetBenchmark {

    static final int EVENTS = 4096;

    /** One host event's parts. */
    private record Spec(String type, int pid, int ppid, String name, String exe, List<String> argv, String cwd,
                        List<String> ancestors, int uid, String user, int tty, ContainerIdentity container,
                        char typechar, String fdName, String openFlags, String sip, int sport, String args,
                        Boolean upper) {

        HostEvent toEvent() {
            HostEvent.Process p = new HostEvent.Process(pid, ppid, name, exe, argv, cwd, ancestors, ANCESTOR_PIDS, tty,
                    -1, uid, uid, user, pid, 0, 0, 0, 0, null, upper, false);
            HostEvent.Container c = container == null ? null
                    : new HostEvent.Container(container.containerId(), "containerd", container);
            HostEvent.Fd fd = typechar == 0 ? null : new HostEvent.Fd(typechar == 'f' ? -1 : 5, typechar, fdName,
                    typechar == 'f' ? null : "tcp", typechar == 'f' ? null : "10.244.1.5", 40000, sip, sport, openFlags);
            return new HostEvent(type, 1_700_000_000_000_000_000L, "syscall", p, c, fd, args, null, null, null);
        }
    }

    private static final long[] ANCESTOR_PIDS = {100, 90, 80, 70, 60, 1};
    private static final FieldSource<NetContext> NET_SOURCE = NetFields.SOURCE;

    private SourceRules<HostContext> host;
    private SourceRules<NetContext> net;
    private final HostContext ctx = new HostContext("node-1");
    private final NetContext netCtx = new NetContext();
    private final HostEvent[] events = new HostEvent[EVENTS];
    private final LogRecord[] records = new LogRecord[EVENTS];
    private final Endpoint[] peers = new Endpoint[EVENTS];
    private Map<String, String> labels;
    private Endpoint client;
    private Consumer<Match> sink;
    private long matches;

    @Setup
    public void setUp() {
        RuleSet rules = RuleEngine.builder().source(HostFields.SOURCE).source(NET_SOURCE).build()
                .load(List.of(RuleFile.resource("rules/vigil_rules.yaml"), VigilRulesTest.ENABLE_NETWORK_RULES));
        if (rules.report().hasErrors()) {
            throw new IllegalStateException(rules.report().render());
        }
        host = rules.forSource(HostFields.SOURCE);
        net = rules.forSource(NET_SOURCE);
        sink = m -> matches++;
        SplittableRandom random = new SplittableRandom(42);
        ContainerIdentity[] pods = {
                identity("shop", "web-5d8f", "registry.example/shop/web:1.4"),
                identity("shop", "worker-77c1", "registry.example/shop/worker:2.0"),
                identity("payments", "db-0", "docker.io/library/postgres:16"),
                identity("monitoring", "agent-x1", "registry.example/ops/agent:0.9"),
                null};
        for (int i = 0; i < EVENTS; i++) {
            Spec spec = i % 1000 == 999 ? attack(i, pods[0]) : benign(random, pods[random.nextInt(pods.length)]);
            events[i] = spec.toEvent();
        }
        client = new Endpoint.Pod("10.244.1.5", "shop", "web-5d8f", new WorkloadRef("shop", "Deployment", "web"), "n1");
        labels = Map.of("vigil.dev/encryption", "required");
        String[] uris = {"/api/v1/orders?page=2&sort=created", "/static/app.3f9c.js", "/healthz",
                "/api/v1/items/48121", "/search?q=blue+running+shoes&lang=en"};
        for (int i = 0; i < EVENTS; i++) {
            ConnId id = new ConnId("10.244.1.5", 40000 + i % 20000, "10.244.2." + (i % 200), 5432, "tcp");
            int kind = i % 10;
            if (kind < 5) {
                records[i] = new ConnRecord(1.0, "C" + i, id, i % 3 == 0 ? "ssl,postgresql" : "http", 0.2, 500, 2000,
                        "SF", 0, "ShADadFf", 6, 800, 6, 2400, "1:x", -1, -1, i % 500 == 0 ? Boolean.FALSE : Boolean.TRUE);
            } else if (kind < 8) {
                String uri = i % 1000 == 7 ? "/items?id=1 UNION SELECT password FROM users" : uris[i % uris.length];
                records[i] = new HttpRecord(1.0, "C" + i, id, 1, "GET", "shop.local", uri, null, "1.1",
                        "Mozilla/5.0 (X11; Linux x86_64)", null, 0, 5120, 200, "OK", null, null, null, null, null);
            } else {
                records[i] = new DnsRecord(1.0, "C" + i, id, i, 0.001, "orders.shop.svc.cluster.local", 1, "C_INTERNET",
                        1, "A", 0, "NOERROR", true, false, true, true, 0, List.of("10.96.4.2"), new long[] {30}, false, 0,
                        "query");
            }
            peers[i] = new Endpoint.Pod("10.244.2." + (i % 200), "payments", "db-0", null, "n1");
        }
    }


    private static ContainerIdentity identity(String ns, String pod, String image) {
        return new ContainerIdentity(Integer.toHexString(pod.hashCode()).repeat(8), "containerd", ns, pod, "uid-" + pod,
                "main", image, "sha256:" + "cd".repeat(32), new WorkloadRef(ns, "Deployment", pod));
    }

    private static final String[][] PROGRAMS = {
            {"python3", "/usr/local/bin/python3", "-m", "worker", "--queue", "orders"},
            {"java", "/usr/bin/java", "-Xmx512m", "-jar", "/app/shop.jar", "--spring.profiles.active=prod"},
            {"nginx", "/usr/sbin/nginx", "-g", "daemon off;"},
            {"postgres", "/usr/lib/postgresql/16/bin/postgres", "-D", "/var/lib/postgresql/data"},
            {"node", "/usr/local/bin/node", "/app/server.js"},
            {"sleep", "/bin/sleep", "30"},
            {"curl", "/usr/bin/curl", "-fsS", "http://localhost:8080/healthz"},
            {"pg_isready", "/usr/lib/postgresql/16/bin/pg_isready", "-U", "postgres"},
            {"date", "/bin/date", "+%s"},
            {"cat", "/bin/cat", "/proc/meminfo"},
    };

    private static final String[] FILES = {"/app/config/settings.yaml", "/usr/lib/x86_64-linux-gnu/libssl.so.3",
            "/etc/hosts", "/etc/resolv.conf", "/var/log/app/app.log", "/proc/self/status", "/etc/passwd",
            "/usr/share/zoneinfo/UTC", "/app/static/index.html", "/etc/shadow"};

    private static Spec benign(SplittableRandom random, ContainerIdentity pod) {
        String[] p = PROGRAMS[random.nextInt(PROGRAMS.length)];
        List<String> argv = new ArrayList<>(List.of(p).subList(1, p.length));
        argv.set(0, p[0]);
        List<String> ancestors = List.of("sh", "tini", "containerd-shim", "systemd");
        int pid = 1000 + random.nextInt(30000);
        int roll = random.nextInt(100);
        if (roll < 25) {
            return new Spec("execve", pid, 900, p[0], p[1], argv, "/app", ancestors, 1000, "app", 0, pod, (char) 0,
                    null, null, null, -1, null, false);
        }
        if (roll < 45) {
            return new Spec("clone", pid, 900, p[0], p[1], argv, "/app", ancestors, 1000, "app", 0, pod, (char) 0,
                    null, null, null, -1, null, false);
        }
        if (roll < 70) {
            return new Spec("procexit", pid, 900, p[0], p[1], argv, "/app", ancestors, 1000, "app", 0, pod, (char) 0,
                    null, null, null, -1, null, false);
        }
        if (roll < 90) {
            String file = FILES[random.nextInt(FILES.length)];
            String reader = file.equals("/etc/shadow") ? "sshd" : p[0];
            return new Spec("open", pid, 900, reader, p[1], argv, "/app", ancestors, 0, "root", 0, pod, 'f', file,
                    random.nextInt(4) == 0 ? "w" : "r", null, -1, null, false);
        }
        if (roll < 98) {
            return new Spec("connect", pid, 900, p[0], p[1], argv, "/app", ancestors, 1000, "app", 0, pod, '4',
                    "10.244.1.5:40000->10.96.0.10:5432", null, "10.96.0.10", 5432, "fd=5 res=0", false);
        }
        return new Spec(roll == 98 ? "setuid" : "prctl", pid, 900, p[0], p[1], argv, "/app", ancestors, 1000, "app", 0,
                pod, (char) 0, null, null, null, -1, null, false);
    }

    private static Spec attack(int i, ContainerIdentity pod) {
        return switch ((i / 1000) % 4) {
            case 0 -> new Spec("execve", 6666, 900, "bash", "/bin/bash", List.of("bash", "-i"), "/", List.of("java",
                    "tini", "containerd-shim"), 0, "root", 0, pod, (char) 0, null, null, null, -1, null, false);
            case 1 -> new Spec("execve", 6667, 900, "xmrig", "/tmp/xmrig", List.of("./xmrig"), "/tmp", List.of("sh"),
                    1000, "app", 0, pod, (char) 0, null, null, null, -1, null, true);
            case 2 -> new Spec("open", 6668, 900, "cat", "/bin/cat", List.of("cat",
                    "/var/run/secrets/kubernetes.io/serviceaccount/token"), "/", List.of("sh"), 0, "root", 0, pod, 'f',
                    "/var/run/secrets/kubernetes.io/serviceaccount/token", "r", null, -1, null, false);
            default -> new Spec("ptrace", 6669, 900, "gdb", "/usr/bin/gdb", List.of("gdb", "-p", "1"), "/", List.of("sh"),
                    0, "root", 0, pod, (char) 0, null, null, null, -1, "request=PTRACE_ATTACH pid=1", false);
        };
    }

    /** Binds and evaluates each host event of the mix: one operation per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void hostEvents(Blackhole bh) {
        int n = 0;
        for (HostEvent e : events) {
            n += host.evaluate(ctx.bind(e), sink);
        }
        bh.consume(n);
    }

    /** Binds and evaluates each network record with its identities: one operation per record. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void networkRecords(Blackhole bh) {
        int n = 0;
        for (int i = 0; i < EVENTS; i++) {
            n += net.evaluate(netCtx.bind(records[i], client, peers[i], null, labels), sink);
        }
        bh.consume(n);
    }
}
