package dev.vigil.posture.report;

import java.util.List;

/**
 * Totals written at the end of a report: objects evaluated, input anomalies (with the first few
 * messages) and an optional line of audit-specific figures ({@code 37 of 1200 pods rejected}).
 */
public record Summary(long objects, long anomalyCount, List<String> anomalies, String note) {

    /** How many anomaly messages a summary keeps. */
    public static final int MAX_ANOMALY_MESSAGES = 100;

    public Summary {
        anomalies = List.copyOf(anomalies.subList(0, Math.min(anomalies.size(), MAX_ANOMALY_MESSAGES)));
    }
}
