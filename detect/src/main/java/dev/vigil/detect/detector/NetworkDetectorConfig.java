package dev.vigil.detect.detector;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the network detectors. Immutable; validated at construction.
 *
 * @param encryptedNamespaces      namespaces that require encryption besides those labelled
 *                                 {@value PlaintextDetector#LABEL}{@code : required}
 * @param plaintextExemptServices  application protocols that are never encrypted and not reported
 *                                 as plaintext (default {@code dns})
 * @param apiServerEndpoints       {@code address:port} of the API server's endpoints (what
 *                                 {@code default/kubernetes} points to), besides the Service itself
 *                                 and TLS names {@code kubernetes.default*}
 * @param apiServerPort            a node address on this port is the API server (6443)
 * @param poolDomains              registered domains of mining pools (matched with their subdomains)
 * @param poolNameExclusions       names that contain "pool" but are no mining pool ({@code pool.ntp.org})
 * @param poolPorts                ports mining pools listen on
 * @param dnsTunnel                thresholds of DNS tunnel detection
 */
public record NetworkDetectorConfig(Set<String> encryptedNamespaces, Set<String> plaintextExemptServices,
                                    Set<String> apiServerEndpoints, int apiServerPort, List<String> poolDomains,
                                    List<String> poolNameExclusions, Set<Integer> poolPorts,
                                    DnsTunnelConfig dnsTunnel) {

    public static final int DEFAULT_API_SERVER_PORT = 6443;
    public static final Set<Integer> DEFAULT_POOL_PORTS = Set.of(3333, 4444, 5555, 7777, 14444, 45700);
    public static final List<String> DEFAULT_POOL_DOMAINS = List.of("nanopool.org", "2miners.com", "f2pool.com",
            "minexmr.com", "supportxmr.com", "moneroocean.stream", "hashvault.pro", "nicehash.com",
            "miningpoolhub.com", "ethermine.org", "slushpool.com", "braiins.com", "viabtc.com", "antpool.com",
            "poolin.com", "herominers.com", "unmineable.com", "c3pool.com", "minergate.com", "xmrpool.eu",
            "dwarfpool.com", "hiveon.net", "flexpool.io", "kryptex.network", "zergpool.com", "prohashing.com");
    public static final List<String> DEFAULT_POOL_NAME_EXCLUSIONS = List.of("pool.ntp.org", "ntppool.org");

    public NetworkDetectorConfig {
        encryptedNamespaces = Set.copyOf(encryptedNamespaces);
        plaintextExemptServices = Set.copyOf(plaintextExemptServices);
        apiServerEndpoints = Set.copyOf(apiServerEndpoints);
        for (String e : apiServerEndpoints) {
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || !e.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("API server endpoint '" + e + "': expected ADDRESS:PORT, e.g. 10.0.0.1:6443");
            }
        }
        if (apiServerPort < 1 || apiServerPort > 65535) {
            throw new IllegalArgumentException("API server port: " + apiServerPort + " must be 1-65535");
        }
        poolDomains = poolDomains.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).toList();
        poolNameExclusions = poolNameExclusions.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).toList();
        poolPorts = Set.copyOf(poolPorts);
        Objects.requireNonNull(dnsTunnel, "dnsTunnel");
    }

    public static NetworkDetectorConfig defaults() {
        return new NetworkDetectorConfig(Set.of(), Set.of("dns"), Set.of(), DEFAULT_API_SERVER_PORT,
                DEFAULT_POOL_DOMAINS, DEFAULT_POOL_NAME_EXCLUSIONS, DEFAULT_POOL_PORTS, DnsTunnelConfig.defaults());
    }

    /** This configuration with more namespaces that require encryption. */
    public NetworkDetectorConfig withEncryptedNamespaces(Set<String> namespaces) {
        return new NetworkDetectorConfig(namespaces, plaintextExemptServices, apiServerEndpoints, apiServerPort,
                poolDomains, poolNameExclusions, poolPorts, dnsTunnel);
    }

    /** This configuration with the API server's endpoints. */
    public NetworkDetectorConfig withApiServerEndpoints(Set<String> endpoints) {
        return new NetworkDetectorConfig(encryptedNamespaces, plaintextExemptServices, endpoints, apiServerPort,
                poolDomains, poolNameExclusions, poolPorts, dnsTunnel);
    }

    /** This configuration with other DNS tunnel thresholds. */
    public NetworkDetectorConfig withDnsTunnel(DnsTunnelConfig config) {
        return new NetworkDetectorConfig(encryptedNamespaces, plaintextExemptServices, apiServerEndpoints, apiServerPort,
                poolDomains, poolNameExclusions, poolPorts, config);
    }
}
