package dev.vigil.posture.report;

/** How urgent a finding is; ordered from least to most severe, so {@code --fail-on} compares ordinals. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL
}
