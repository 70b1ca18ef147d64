package dev.vigil.net.analysis;

import dev.vigil.model.record.LogRecord;

/** Where a {@link Pipeline} puts its records ({@code conn}, application logs, {@code notice}, {@code weird}). */
@FunctionalInterface
public interface RecordSink {

    void accept(LogRecord record);
}
