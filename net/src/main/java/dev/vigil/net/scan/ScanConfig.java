package dev.vigil.net.scan;

import java.time.Duration;

/**
 * Thresholds of {@link ScanDetector}; validated, immutable.
 *
 * @param ports  unique ports of one host that make a port (vertical) scan (default 15)
 * @param hosts  unique hosts on one port (or a few ports) that make an address (horizontal) scan or a ping sweep (default 25)
 * @param window sliding window in which attempts are counted (default 5 minutes)
 */
public record ScanConfig(int ports, int hosts, Duration window) {

    public static final int DEFAULT_PORTS = 15;
    public static final int DEFAULT_HOSTS = 25;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    public ScanConfig {
        if (ports < 2) {
            throw new IllegalArgumentException("--scan-ports must be at least 2, got " + ports);
        }
        if (hosts < 2) {
            throw new IllegalArgumentException("--scan-hosts must be at least 2, got " + hosts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("--scan-window must be positive, got " + window);
        }
    }

    public static ScanConfig defaults() {
        return new ScanConfig(DEFAULT_PORTS, DEFAULT_HOSTS, DEFAULT_WINDOW);
    }
}
