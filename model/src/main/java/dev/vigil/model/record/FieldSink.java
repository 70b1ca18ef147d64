package dev.vigil.model.record;

import java.util.List;

/**
 * Receives the fields of one flat log record, in order. Null values are skipped by every sink, so
 * writers can pass optional fields unconditionally. Names follow Zeek's and Falco's vocabulary
 * verbatim ({@code id.orig_h}, {@code proc.name}).
 */
public interface FieldSink {

    FieldSink string(String name, CharSequence value);

    FieldSink number(String name, long value);

    FieldSink decimal(String name, double value);

    /** A nullable boolean; null is skipped like every other null. */
    FieldSink bool(String name, Boolean value);

    FieldSink strings(String name, List<String> values);

    FieldSink numbers(String name, long[] values);

    /** Number fields that may be absent. */
    default FieldSink number(String name, Long value) {
        return value == null ? this : number(name, value.longValue());
    }
}
