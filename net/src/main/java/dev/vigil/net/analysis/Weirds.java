package dev.vigil.net.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Anomaly counts of one capture by weird name, shared by every thread that analyzes it, so the cap of
 * {@link PipelineConfig#MAX_WEIRDS_PER_NAME} records per name holds for the whole capture and the
 * counts come out merged. Thread-safe; anomalies are rare, so one concurrent map serves.
 */
final class Weirds {

    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts one {@code name}; true when its record is to be written (within the cap). */
    boolean count(String name) {
        return counts.computeIfAbsent(name, k -> new AtomicLong()).getAndIncrement()
                < PipelineConfig.MAX_WEIRDS_PER_NAME;
    }

    /** True, and counted once, only for the first {@code name} of the capture (for once-per-capture weirds). */
    boolean first(String name) {
        return counts.putIfAbsent(name, new AtomicLong(1)) == null;
    }

    /** Counts by name, including those beyond the cap. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
