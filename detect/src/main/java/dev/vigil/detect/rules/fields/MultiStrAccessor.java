package dev.vigil.detect.rules.fields;

/**
 * Reads a field with several values per event, such as {@code proc.aname} without an index (every
 * ancestor's name): a check on it holds when it holds for any value, as in libsinsp.
 */
public interface MultiStrAccessor<C> {

    /** How many values the event has (0 when none). */
    int count(C ctx);

    /** Value {@code i} (0-based), or null when that one is unknown. */
    CharSequence get(C ctx, int i);
}
