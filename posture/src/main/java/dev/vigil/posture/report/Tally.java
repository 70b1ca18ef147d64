package dev.vigil.posture.report;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts findings by severity on their way to a writer, so the command can decide {@code --fail-on}:
 * {@link #exceeds} is true when a finding that is not waived is at least that severe.
 */
public final class Tally implements ReportWriter {

    private final ReportWriter next;
    private final Map<Severity, Long> open = new EnumMap<>(Severity.class);
    private long waived;

    public Tally(ReportWriter next) {
        this.next = next;
    }

    @Override
    public void finding(Finding finding) {
        if (finding.waived()) {
            waived++;
        } else {
            open.merge(finding.severity(), 1L, Long::sum);
        }
        next.finding(finding);
    }

    @Override
    public void finish(Summary summary) {
        next.finish(summary);
    }

    /** True when a finding that is not waived has at least severity {@code threshold}. */
    public boolean exceeds(Severity threshold) {
        return open.keySet().stream().anyMatch(s -> s.compareTo(threshold) >= 0);
    }

    public long open() {
        return open.values().stream().mapToLong(Long::longValue).sum();
    }

    public long waived() {
        return waived;
    }

    /** {@code 3 critical, 1 high, 2 waived}, or {@code no findings}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Severity s : Severity.descending()) {
            Long n = open.get(s);
            if (n != null) {
                b.append(b.isEmpty() ? "" : ", ").append(n).append(' ').append(s.label());
            }
        }
        if (waived > 0) {
            b.append(b.isEmpty() ? "" : ", ").append(waived).append(" waived");
        }
        return b.isEmpty() ? "no findings" : b.toString();
    }
}
