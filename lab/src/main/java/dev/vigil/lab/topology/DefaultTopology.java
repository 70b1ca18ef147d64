package dev.vigil.lab.topology;

import dev.vigil.lab.topology.Topology.ContainerDef;
import dev.vigil.lab.topology.Topology.InternetHost;
import dev.vigil.lab.topology.Topology.PodDef;
import dev.vigil.lab.topology.Topology.Port;
import dev.vigil.lab.topology.Topology.SecretDef;
import dev.vigil.lab.topology.Topology.ServiceDef;
import dev.vigil.lab.topology.Topology.WorkloadKind;
import java.util.List;
import java.util.Map;

/**
 * The standard lab: a small shop in four namespaces plus DNS and a load generator. Traffic:
 * loadgen → frontend (HTTP) → api (HTTP) → cache (Redis) and postgres (PostgreSQL); every pod
 * resolves names through kube-dns (dnsmasq); loadgen makes periodic TLS and HTTP calls to the
 * simulated internet and reads pods from the Kubernetes API with its service-account token.
 * {@code shop-payments} (the ledger) requires encryption by its namespace label and gets no
 * benign traffic; the attacker's internet hosts (command and control, a mining pool, a legacy TLS
 * server) have addresses and DNS names but no servers until an attack scenario starts them.
 * See {@code docs/lab.md} for the table.
 */
public final class DefaultTopology {

    /** The namespace label that says traffic into the namespace must be encrypted. */
    public static final String ENCRYPTION_LABEL = "vigil.dev/encryption";

    /** Password of the {@code shop} database role, stored in the {@code postgres-credentials} secrets. */
    static final String DB_PASSWORD = "lab-only-5ecret";

    private DefaultTopology() {
    }

    public static Topology create() {
        Map<String, String> dbSecret = Map.of("postgres-credentials", "/etc/shop/db");
        List<PodDef> pods = List.of(
                new PodDef("kube-system", "coredns", WorkloadKind.DEPLOYMENT, "coredns", "10.244.1.2",
                        Map.of("k8s-app", "kube-dns"),
                        List.of(container("dnsmasq", LabImages.DNSMASQ, List.of(), List.of(
                                new Port("dns", 53, "UDP"), new Port("dns-tcp", 53, "TCP")), Map.of()))),
                new PodDef("shop-web", "frontend", WorkloadKind.DEPLOYMENT, "default", "10.244.1.10",
                        Map.of("app", "frontend", "tier", "web"),
                        List.of(container("web", LabImages.FRONTEND, List.of(), List.of(new Port("http", 80, "TCP")), Map.of()))),
                new PodDef("shop-api", "api", WorkloadKind.DEPLOYMENT, "api", "10.244.1.20",
                        Map.of("app", "api", "tier", "backend"),
                        List.of(container("api", LabImages.API, List.of(), List.of(new Port("http", 8080, "TCP")),
                                dbSecret))),
                new PodDef("shop-data", "cache", WorkloadKind.DEPLOYMENT, "default", "10.244.1.30",
                        Map.of("app", "cache", "tier", "data"),
                        List.of(container("redis", LabImages.REDIS, List.of(), List.of(new Port("redis", 6379, "TCP")), Map.of()))),
                new PodDef("shop-data", "postgres", WorkloadKind.STATEFULSET, "default", "10.244.1.31",
                        Map.of("app", "postgres", "tier", "data"),
                        List.of(new ContainerDef("postgres", LabImages.POSTGRES, List.of(),
                                List.of(new Port("postgresql", 5432, "TCP")), List.of(), dbSecret, Map.of("dshm", "/dev/shm")))),
                new PodDef("loadgen", "loadgen", WorkloadKind.DEPLOYMENT, "loadgen", "10.244.1.40",
                        Map.of("app", "loadgen"),
                        List.of(container("web", LabImages.LOADGEN, List.of("/usr/local/bin/loadgen-web"), List.of(), Map.of()),
                                container("dns", LabImages.LOADGEN, List.of("/usr/local/bin/loadgen-dns"), List.of(), Map.of()),
                                container("tls", LabImages.LOADGEN, List.of("/usr/local/bin/loadgen-internet"), List.of(), Map.of()),
                                container("kube", LabImages.LOADGEN, List.of("/usr/local/bin/loadgen-kube"), List.of(), Map.of()))),
                new PodDef("shop-payments", "ledger", WorkloadKind.DEPLOYMENT, "default", "10.244.1.50",
                        Map.of("app", "ledger", "tier", "backend"),
                        List.of(container("ledger", LabImages.LEDGER, List.of(), List.of(new Port("http", 8080, "TCP")), Map.of()))));
        List<ServiceDef> services = List.of(
                new ServiceDef("kube-system", "kube-dns", AddressPlan.DNS_SERVICE_IP,
                        List.of(new Port("dns", 53, "UDP"), new Port("dns-tcp", 53, "TCP")), "coredns"),
                new ServiceDef("shop-web", "frontend", "10.96.10.10", List.of(new Port("http", 80, "TCP")), "frontend"),
                new ServiceDef("shop-api", "api", "10.96.20.10", List.of(new Port("http", 8080, "TCP")), "api"),
                new ServiceDef("shop-data", "cache", "10.96.30.10", List.of(new Port("redis", 6379, "TCP")), "cache"),
                new ServiceDef("shop-data", "postgres", "10.96.30.11", List.of(new Port("postgresql", 5432, "TCP")), "postgres"),
                new ServiceDef("shop-payments", "ledger", "10.96.50.10", List.of(new Port("http", 8080, "TCP")), "ledger"));
        List<SecretDef> secrets = List.of(
                new SecretDef("shop-data", "postgres-credentials", Map.of("username", "shop", "password", DB_PASSWORD)),
                new SecretDef("shop-api", "postgres-credentials", Map.of("username", "shop", "password", DB_PASSWORD)));
        List<InternetHost> internet = List.of(
                new InternetHost("www", "203.0.113.10", List.of("www.example.test", "example.test"), 80, "http"),
                new InternetHost("updates", "203.0.113.20", List.of("updates.example.com"), 443, "tls"),
                new InternetHost("evil", "203.0.113.66", List.of("c2.evil.example", "paste.evil.example"), 4444, Topology.ATTACKER),
                new InternetHost("pool", "203.0.113.33", List.of("pool.minexmr.example"), 3333, Topology.ATTACKER),
                new InternetHost("legacy", "203.0.113.44", List.of("legacy.example.net"), 443, Topology.ATTACKER));
        return new Topology(List.of("default", "kube-system", "kube-public", "shop-web", "shop-api", "shop-data", "shop-payments",
                "loadgen"), NAMESPACE_LABELS, pods, services, secrets, internet);
    }

    /**
     * Pod Security labels as a cluster grows them: kube-system exempt, the shop enforcing baseline and
     * warned or audited at restricted (its pods, which set no securityContext, fail restricted), shop-api
     * pinned to v1.30, and loadgen labelled restricted after its pod was admitted — so an audit finds a
     * running pod its namespace would now reject. default and kube-public have none.
     */
    static final Map<String, Map<String, String>> POD_SECURITY = Map.of(
            "kube-system", Map.of("pod-security.kubernetes.io/enforce", "privileged"),
            "shop-web", Map.of("pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/warn", "restricted"),
            "shop-api", Map.of("pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/enforce-version", "v1.30",
                    "pod-security.kubernetes.io/audit", "restricted"),
            "shop-data", Map.of("pod-security.kubernetes.io/enforce", "baseline"),
            "loadgen", Map.of("pod-security.kubernetes.io/enforce", "restricted"));

    /** Every namespace label of the lab: Pod Security, and shop-payments requiring encryption in transit. */
    static final Map<String, Map<String, String>> NAMESPACE_LABELS = java.util.stream.Stream.concat(
                    POD_SECURITY.entrySet().stream(), java.util.stream.Stream.of(Map.entry("shop-payments", Map.of(ENCRYPTION_LABEL, "required"))))
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private static ContainerDef container(String name, String image, List<String> command, List<Port> ports,
                                          Map<String, String> secretMounts) {
        return new ContainerDef(name, image, command, ports, List.of(), secretMounts, Map.of());
    }
}
