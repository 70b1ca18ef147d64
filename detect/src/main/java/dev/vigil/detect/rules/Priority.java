package dev.vigil.detect.rules;

import java.util.Locale;

/**
 * A rule's priority, Falco's syslog-style severities from most to least severe. Rule files name
 * them case-insensitively; {@code info} is accepted for {@link #INFORMATIONAL}, as Falco does.
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

    /** The name as Falco writes it in alerts ({@code Warning}). */
    public String label() {
        return label;
    }

    /** The priority named {@code text}, or null when it names none. */
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
