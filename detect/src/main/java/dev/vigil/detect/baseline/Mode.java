package dev.vigil.detect.baseline;

import java.util.Locale;

/**
 * What a workload's baseline does with what it has not seen before: {@link #LEARN} adds it,
 * {@link #MONITOR} raises an alert, {@link #PROTECT} raises an alert and asks for it to be stopped.
 */
public enum Mode {
    LEARN,
    MONITOR,
    PROTECT;

    /** The name used on the command line and in policy files: {@code learn}, {@code monitor}, {@code protect}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code text} (any case), or null. */
    public static Mode parse(String text) {
        for (Mode m : values()) {
            if (m.label().equalsIgnoreCase(text.strip())) {
                return m;
            }
        }
        return null;
    }
}
