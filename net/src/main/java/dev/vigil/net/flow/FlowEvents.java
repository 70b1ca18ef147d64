package dev.vigil.net.flow;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.model.record.LogRecord;

/**
 * What a {@link Flow} asks of the engine that owns it: somewhere to put records and anomalies, and a
 * fresh application analyzer when the connection first carries payload (or restarts detection).
 */
public interface FlowEvents {

    /** A record produced for {@code flow} (by an analyzer, or the flow's own {@code conn} record). */
    void emit(Flow flow, LogRecord record);

    /** Malformed or unexpected input on {@code flow}, named as Zeek's {@code weird.log}. */
    void anomaly(Flow flow, String name, String detail);

    /** {@code flow} is over and has left the table; its analyzer has been told ({@link dev.vigil.net.app.AppAnalyzer#end}). */
    void ended(Flow flow, EndReason reason);

    /** A new analyzer for {@code flow}; never null. */
    AppAnalyzer createAnalyzer(Flow flow);
}
