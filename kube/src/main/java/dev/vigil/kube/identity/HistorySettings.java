package dev.vigil.kube.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the resolver remembers of holders that are gone, and how it bridges clock skew. Validated
 * on construction; immutable once the resolver runs.
 *
 * <ul>
 *   <li>{@code maxHistoryPerAddress} — past (closed) tenures kept per IP address, default
 *       {@value #DEFAULT_MAX_HISTORY_PER_ADDRESS}; the earliest-ended goes first.</li>
 *   <li>{@code maxClosedTenures} — past tenures kept over all addresses, default
 *       {@value #DEFAULT_MAX_CLOSED_TENURES}; the first closed goes first.</li>
 *   <li>{@code maxGoneContainers} — containers of deleted pods (or replaced by a restart) kept,
 *       default {@value #DEFAULT_MAX_GONE_CONTAINERS}; the first gone goes first.</li>
 *   <li>{@code retention} — how long past tenures and gone containers are kept at least, counted from
 *       when the resolver saw them end, default 24 hours.</li>
 *   <li>{@code skewTolerance} — a time that falls in no tenure but within this distance of one
 *       resolves to that holder, bridging second-precision API timestamps and node clock skew,
 *       default 2 seconds.</li>
 * </ul>
 */
public record HistorySettings(
        int maxHistoryPerAddress,
        int maxClosedTenures,
        int maxGoneContainers,
        Duration retention,
        Duration skewTolerance) {

    public static final int DEFAULT_MAX_HISTORY_PER_ADDRESS = 16;
    public static final int DEFAULT_MAX_CLOSED_TENURES = 250_000;
    public static final int DEFAULT_MAX_GONE_CONTAINERS = 100_000;
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_SKEW_TOLERANCE = Duration.ofSeconds(2);

    /** The defaults listed above. */
    public static final HistorySettings DEFAULTS = new HistorySettings(DEFAULT_MAX_HISTORY_PER_ADDRESS,
            DEFAULT_MAX_CLOSED_TENURES, DEFAULT_MAX_GONE_CONTAINERS, DEFAULT_RETENTION, DEFAULT_SKEW_TOLERANCE);

    public HistorySettings {
        atLeastOne("maxHistoryPerAddress", maxHistoryPerAddress);
        atLeastOne("maxClosedTenures", maxClosedTenures);
        atLeastOne("maxGoneContainers", maxGoneContainers);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(skewTolerance, "skewTolerance");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        if (skewTolerance.isNegative() || skewTolerance.compareTo(retention) >= 0) {
            throw new IllegalArgumentException("skewTolerance must be between 0 and retention (" + retention
                    + "), got " + skewTolerance);
        }
    }

    public HistorySettings withMaxHistoryPerAddress(int value) {
        return new HistorySettings(value, maxClosedTenures, maxGoneContainers, retention, skewTolerance);
    }

    public HistorySettings withMaxClosedTenures(int value) {
        return new HistorySettings(maxHistoryPerAddress, value, maxGoneContainers, retention, skewTolerance);
    }

    public HistorySettings withMaxGoneContainers(int value) {
        return new HistorySettings(maxHistoryPerAddress, maxClosedTenures, value, retention, skewTolerance);
    }

    public HistorySettings withRetention(Duration value) {
        return new HistorySettings(maxHistoryPerAddress, maxClosedTenures, maxGoneContainers, value, skewTolerance);
    }

    public HistorySettings withSkewTolerance(Duration value) {
        return new HistorySettings(maxHistoryPerAddress, maxClosedTenures, maxGoneContainers, retention, value);
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
