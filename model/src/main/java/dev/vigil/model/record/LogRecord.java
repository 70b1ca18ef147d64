package dev.vigil.model.record;

/**
 * One record of a named log ({@code conn}, {@code http}, {@code dns}, {@code notice}, a host event …).
 * Records are immutable values; {@link #writeTo} emits the fields after {@code log} and {@code ts},
 * which the sink's owner writes.
 */
public interface LogRecord {

    /** The log this record belongs to, e.g. {@code conn}. */
    String log();

    /** Seconds since the epoch, with microsecond precision, as Zeek writes {@code ts}. */
    double ts();

    /** Writes every field but {@code log} and {@code ts}. */
    void writeTo(FieldSink sink);

    /** This record as one JSON object line (without the trailing newline). */
    default String toJson() {
        return JsonLine.of(this);
    }
}
