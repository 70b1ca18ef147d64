package dev.vigil.posture.pss;

import java.util.Locale;

/** A Pod Security Standards level. {@code privileged} allows everything. */
public enum Level {
    PRIVILEGED,
    BASELINE,
    RESTRICTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code baseline}, {@code restricted} or {@code privileged}; the exception says what is accepted. */
    public static Level parse(String s) {
        for (Level l : values()) {
            if (l.label().equals(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown Pod Security level '" + s + "': use privileged, baseline or restricted");
    }
}
