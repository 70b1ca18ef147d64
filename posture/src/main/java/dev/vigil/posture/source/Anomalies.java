package dev.vigil.posture.source;

import java.util.ArrayList;
import java.util.List;

/** Counts the anomalies of a run and keeps the first {@link #KEPT} messages for the report. */
public final class Anomalies {

    /** How many messages are kept; the rest are only counted. */
    public static final int KEPT = 100;

    private final List<String> messages = new ArrayList<>();
    private long count;

    public void add(Anomaly anomaly) {
        count++;
        if (messages.size() < KEPT) {
            messages.add(anomaly.display());
        }
    }

    public long count() {
        return count;
    }

    public List<String> messages() {
        return messages;
    }
}
