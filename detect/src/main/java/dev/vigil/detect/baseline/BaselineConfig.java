package dev.vigil.detect.baseline;

import java.time.Duration;
import java.util.Objects;

/**
 * How baselines learn and how much they keep. Immutable; validated as a whole at construction.
 *
 * <p>A workload seen for the first time starts in {@code initialMode} (default {@link Mode#LEARN}).
 * With {@code autoPromote}, a learning workload moves to {@link Mode#MONITOR} once it has learned for
 * at least {@code minLearning} and learned nothing new for {@code quietPeriod}.
 *
 * <p>Bounds (defaults): workloads ({@value #DEFAULT_MAX_WORKLOADS}), containers per workload
 * ({@value #DEFAULT_MAX_CONTAINERS}), executables per container ({@value #DEFAULT_MAX_EXECUTABLES}),
 * argument shapes per executable ({@value #DEFAULT_MAX_SHAPES} — beyond it the executable accepts any
 * arguments), peers per workload ({@value #DEFAULT_MAX_PEERS}), applications per peer
 * ({@value #DEFAULT_MAX_APPS_PER_PEER}), listening ports ({@value #DEFAULT_MAX_LISTENING}), DNS names
 * ({@value #DEFAULT_MAX_DNS_NAMES}), written directories per container ({@value #DEFAULT_MAX_FILE_DIRS}),
 * token readers per container ({@value #DEFAULT_MAX_TOKEN_READERS}). A fact that does not fit is not
 * learned and is counted ({@link Baselines.Stats#overflows()}).
 */
public record BaselineConfig(
        Mode initialMode,
        boolean autoPromote,
        Duration minLearning,
        Duration quietPeriod,
        int maxWorkloads,
        int maxContainers,
        int maxExecutables,
        int maxShapesPerExecutable,
        int maxPeers,
        int maxAppsPerPeer,
        int maxListening,
        int maxDnsNames,
        int maxFileDirs,
        int maxTokenReaders) {

    public static final Duration DEFAULT_MIN_LEARNING = Duration.ofHours(1);
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMinutes(30);
    public static final int DEFAULT_MAX_WORKLOADS = 10_000;
    public static final int DEFAULT_MAX_CONTAINERS = 32;
    public static final int DEFAULT_MAX_EXECUTABLES = 256;
    public static final int DEFAULT_MAX_SHAPES = 16;
    public static final int DEFAULT_MAX_PEERS = 1024;
    public static final int DEFAULT_MAX_APPS_PER_PEER = 4;
    public static final int DEFAULT_MAX_LISTENING = 64;
    public static final int DEFAULT_MAX_DNS_NAMES = 1024;
    public static final int DEFAULT_MAX_FILE_DIRS = 256;
    public static final int DEFAULT_MAX_TOKEN_READERS = 16;

    public BaselineConfig {
        Objects.requireNonNull(initialMode, "initialMode");
        Objects.requireNonNull(minLearning, "minLearning");
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        if (minLearning.isNegative() || quietPeriod.isNegative()) {
            throw new IllegalArgumentException("learning: min learning " + minLearning + " and quiet period "
                    + quietPeriod + " must not be negative");
        }
        if (autoPromote && quietPeriod.isZero()) {
            throw new IllegalArgumentException("learning: a zero quiet period would promote at the first event;"
                    + " give a quiet period (e.g. PT30S) or turn automatic promotion off");
        }
        positive("max workloads", maxWorkloads);
        positive("max containers", maxContainers);
        positive("max executables", maxExecutables);
        positive("max shapes per executable", maxShapesPerExecutable);
        positive("max peers", maxPeers);
        positive("max apps per peer", maxAppsPerPeer);
        positive("max listening ports", maxListening);
        positive("max DNS names", maxDnsNames);
        positive("max written directories", maxFileDirs);
        positive("max token readers", maxTokenReaders);
    }

    /** Learn first, promote after an hour of learning with 30 quiet minutes, default bounds. */
    public static BaselineConfig defaults() {
        return new BaselineConfig(Mode.LEARN, true, DEFAULT_MIN_LEARNING, DEFAULT_QUIET_PERIOD, DEFAULT_MAX_WORKLOADS,
                DEFAULT_MAX_CONTAINERS, DEFAULT_MAX_EXECUTABLES, DEFAULT_MAX_SHAPES, DEFAULT_MAX_PEERS,
                DEFAULT_MAX_APPS_PER_PEER, DEFAULT_MAX_LISTENING, DEFAULT_MAX_DNS_NAMES, DEFAULT_MAX_FILE_DIRS,
                DEFAULT_MAX_TOKEN_READERS);
    }

    /** This configuration with another learning schedule. */
    public BaselineConfig withLearning(boolean autoPromote, Duration minLearning, Duration quietPeriod) {
        return new BaselineConfig(initialMode, autoPromote, minLearning, quietPeriod, maxWorkloads, maxContainers,
                maxExecutables, maxShapesPerExecutable, maxPeers, maxAppsPerPeer, maxListening, maxDnsNames,
                maxFileDirs, maxTokenReaders);
    }

    /** This configuration with another mode for new workloads. */
    public BaselineConfig withInitialMode(Mode mode) {
        return new BaselineConfig(mode, autoPromote, minLearning, quietPeriod, maxWorkloads, maxContainers,
                maxExecutables, maxShapesPerExecutable, maxPeers, maxAppsPerPeer, maxListening, maxDnsNames,
                maxFileDirs, maxTokenReaders);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + ": " + value + " must be at least 1");
        }
    }
}
