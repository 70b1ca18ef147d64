package dev.vigil.detect.rules.fields;

/**
 * Reads a string field of an event context. Returns null when the event has no value for the
 * field; otherwise a {@link CharSequence} that stays valid until the context is bound to the next
 * event (derived values such as {@code proc.cmdline} are built into reusable buffers).
 */
@FunctionalInterface
public interface StrAccessor<C> {

    CharSequence get(C ctx);
}
