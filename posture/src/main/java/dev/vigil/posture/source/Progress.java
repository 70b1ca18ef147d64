package dev.vigil.posture.source;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts the objects a source streams and, for long inputs, reports the rate (to stderr) every
 * {@link #INTERVAL_NANOS} ({@code read 120000 objects (41000/s), 2 anomalies}), then a closing line.
 * Short runs print nothing. Wraps the sink it forwards to.
 */
public final class Progress implements ObjectSink {

    /** How often a progress line is printed: every 3 seconds. */
    public static final long INTERVAL_NANOS = 3_000_000_000L;

    private final ObjectSink next;
    private final Consumer<String> out;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private long objects;
    private long anomalies;
    private boolean printed;

    public Progress(ObjectSink next, Consumer<String> out) {
        this(next, out, System::nanoTime);
    }

    Progress(ObjectSink next, Consumer<String> out, LongSupplier clock) {
        this.next = next;
        this.out = out;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrint = started;
    }

    @Override
    public void object(KubeObject object) {
        objects++;
        if ((objects & 1023) == 0) {
            tick();
        }
        next.object(object);
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        anomalies++;
        next.anomaly(anomaly);
    }

    public long objects() {
        return objects;
    }

    public long anomalies() {
        return anomalies;
    }

    private void tick() {
        long now = clock.getAsLong();
        if (now - lastPrint >= INTERVAL_NANOS) {
            lastPrint = now;
            printed = true;
            out.accept(line(now));
        }
    }

    /** Prints the closing line, when progress was shown at all. */
    public void finish() {
        if (printed) {
            out.accept(line(clock.getAsLong()) + ", done");
        }
    }

    private String line(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return "read " + objects + " objects (" + Math.round(objects / seconds) + "/s), " + anomalies
                + (anomalies == 1 ? " anomaly" : " anomalies");
    }
}
