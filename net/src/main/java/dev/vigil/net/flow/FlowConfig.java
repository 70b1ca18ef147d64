package dev.vigil.net.flow;

import java.time.Duration;

/**
 * Limits and timeouts of a {@link FlowTable}; validated on construction, immutable. Defaults follow
 * Zeek ({@code tcp_inactivity_timeout} 5 min, {@code udp_inactivity_timeout} and
 * {@code icmp_inactivity_timeout} 1 min, {@code tcp_attempt_delay} 5 s, {@code tcp_close_delay} 5 s).
 *
 * @param maxFlows            hard bound on flows held at once; the least recently active is evicted (its record still written)
 * @param tcpIdle             idle timeout of open TCP connections
 * @param udpIdle             idle timeout of UDP flows
 * @param icmpIdle            idle timeout of ICMP flows
 * @param tcpAttempt          time an unanswered SYN waits before the attempt is reported
 * @param tcpLinger           time a closed or reset connection stays to absorb its last packets
 * @param activeTimeout       a flow open longer than this is reported and restarted; zero disables
 * @param reassemblyBytes     memory for out-of-order TCP segments over all connections
 * @param uidSeed             seed of the connection uid generator (fixed seeds give reproducible uids)
 */
public record FlowConfig(int maxFlows, Duration tcpIdle, Duration udpIdle, Duration icmpIdle, Duration tcpAttempt,
                         Duration tcpLinger, Duration activeTimeout, long reassemblyBytes, long uidSeed) {

    /** Default bound on flows. */
    public static final int DEFAULT_MAX_FLOWS = 200_000;
    /** Largest accepted bound on flows. */
    public static final int MAX_MAX_FLOWS = 1 << 26;

    public FlowConfig {
        if (maxFlows < 1 || maxFlows > MAX_MAX_FLOWS) {
            throw new IllegalArgumentException("max flows: " + maxFlows + " outside 1.." + MAX_MAX_FLOWS);
        }
        for (Duration d : new Duration[] {tcpIdle, udpIdle, icmpIdle, tcpAttempt, tcpLinger, activeTimeout}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative, got " + d);
            }
        }
        if (reassemblyBytes < 0) {
            throw new IllegalArgumentException("reassembly bytes must be >= 0, got " + reassemblyBytes);
        }
    }

    /** Zeek's defaults, {@link #DEFAULT_MAX_FLOWS}, no active timeout, 64 MiB for reassembly. */
    public static FlowConfig defaults() {
        return new FlowConfig(DEFAULT_MAX_FLOWS, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO, 64L * 1024 * 1024,
                System.nanoTime());
    }

    public FlowConfig withMaxFlows(int n) {
        return new FlowConfig(n, tcpIdle, udpIdle, icmpIdle, tcpAttempt, tcpLinger, activeTimeout, reassemblyBytes, uidSeed);
    }

    public FlowConfig withActiveTimeout(Duration d) {
        return new FlowConfig(maxFlows, tcpIdle, udpIdle, icmpIdle, tcpAttempt, tcpLinger, d, reassemblyBytes, uidSeed);
    }

    public FlowConfig withReassemblyBytes(long bytes) {
        return new FlowConfig(maxFlows, tcpIdle, udpIdle, icmpIdle, tcpAttempt, tcpLinger, activeTimeout, bytes, uidSeed);
    }

    public FlowConfig withUidSeed(long seed) {
        return new FlowConfig(maxFlows, tcpIdle, udpIdle, icmpIdle, tcpAttempt, tcpLinger, activeTimeout, reassemblyBytes, seed);
    }
}
