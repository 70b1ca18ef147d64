package dev.vigil.model.alert;

import java.util.Locale;

/**
 * An alert's severity, Falco's syslog-style priorities from most to least severe, written with
 * Falco's names ({@code Warning}) so that falcosidekick and other Falco consumers parse them.
 */
public enum Priority {
    EMERGENCY("Emergency"),
    ALERT("Alert"),
    CRITICAL("Critical"),
    ERROR("Error"),
    WARNING("Warning"),
    NOTICE("Notice"),
    INFORMATIONAL("Informational"),
    DEBUG("Debug");

    private final String label;

    Priority(String label) {
        this.label = label;
    }

    /** The name as Falco writes it in alerts. */
    public String label() {
        return label;
    }

    /** The priority named {@code text} (any case; {@code info} for informational, as Falco), or null. */
    public static Priority parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("info")) {
            return INFORMATIONAL;
        }
        for (Priority p : values()) {
            if (p.label.toLowerCase(Locale.ROOT).equals(t)) {
                return p;
            }
        }
        return null;
    }
}
