package dev.vigil.detect.detector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Thresholds of {@link DnsTunnelling}, per pod and registered domain within {@code window}:
 * {@code suspiciousQueries} different queries whose subdomain part is at least {@code minSubdomainChars} long
 * with a Shannon entropy of at least {@code minEntropyBits} bits per character; {@code uniqueSubdomains}
 * different subdomains; {@code txtQueries} TXT or NULL queries. Names under {@code ignoredSuffixes}
 * (the cluster's own zone, reverse lookups) are not tracked. At most {@code maxTracked} (pod, domain)
 * pairs are tracked; the least recently queried is dropped first (counted).
 */
public record DnsTunnelConfig(Duration window, int minSubdomainChars, double minEntropyBits, int suspiciousQueries,
                              int uniqueSubdomains, int txtQueries, int maxTracked, List<String> ignoredSuffixes) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final int DEFAULT_MIN_SUBDOMAIN_CHARS = 30;
    public static final double DEFAULT_MIN_ENTROPY_BITS = 3.5;
    public static final int DEFAULT_SUSPICIOUS_QUERIES = 5;
    public static final int DEFAULT_UNIQUE_SUBDOMAINS = 50;
    public static final int DEFAULT_TXT_QUERIES = 20;
    public static final int DEFAULT_MAX_TRACKED = 10_000;
    public static final List<String> DEFAULT_IGNORED_SUFFIXES = List.of("cluster.local", "in-addr.arpa", "ip6.arpa");

    public DnsTunnelConfig {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("DNS tunnel window: " + window + " must be positive (e.g. PT60S)");
        }
        if (minSubdomainChars < 1 || minSubdomainChars > 253) {
            throw new IllegalArgumentException("DNS tunnel min subdomain chars: " + minSubdomainChars
                    + " must be 1-253 (a DNS name has at most 253)");
        }
        if (!(minEntropyBits > 0 && minEntropyBits <= 8)) {
            throw new IllegalArgumentException("DNS tunnel min entropy: " + minEntropyBits
                    + " bits per character must be above 0 and at most 8");
        }
        if (suspiciousQueries < 1 || uniqueSubdomains < 2 || txtQueries < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("DNS tunnel thresholds: suspicious queries " + suspiciousQueries
                    + ", unique subdomains " + uniqueSubdomains + ", TXT queries " + txtQueries + ", max tracked "
                    + maxTracked + "; each must be at least 1 (unique subdomains at least 2)");
        }
        ignoredSuffixes = ignoredSuffixes.stream().map(s -> s.toLowerCase(java.util.Locale.ROOT)).toList();
    }

    public static DnsTunnelConfig defaults() {
        return new DnsTunnelConfig(DEFAULT_WINDOW, DEFAULT_MIN_SUBDOMAIN_CHARS, DEFAULT_MIN_ENTROPY_BITS,
                DEFAULT_SUSPICIOUS_QUERIES, DEFAULT_UNIQUE_SUBDOMAINS, DEFAULT_TXT_QUERIES, DEFAULT_MAX_TRACKED,
                DEFAULT_IGNORED_SUFFIXES);
    }
}
