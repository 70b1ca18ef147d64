package dev.vigil.posture.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How urgent a finding is; ordered from least to most severe, so {@code --fail-on} compares ordinals. */
public enum Severity {
    INFO,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    private static final List<Severity> DESCENDING = List.of(CRITICAL, HIGH, MEDIUM, LOW, INFO);

    /** Most severe first. */
    public static List<Severity> descending() {
        return DESCENDING;
    }

    /** Lower-case name, as reports print it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a name in any case; the message of the exception lists the accepted names. */
    public static Severity parse(String name) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + name + "': use one of "
                + Arrays.stream(values()).map(Severity::label).toList());
    }
}
