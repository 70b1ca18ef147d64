package dev.vigil.detect.rules.fields;

/**
 * Reads a number (or boolean, as 0/1) field of an event context without boxing; {@link #ABSENT}
 * when the event has no value for the field.
 */
@FunctionalInterface
public interface NumAccessor<C> {

    /** The value that stands for "no value". No field of Vigil's can take it as a real value. */
    long ABSENT = Long.MIN_VALUE;

    long get(C ctx);
}
