package dev.vigil.posture.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-text table for terminals, grouped by resource (workload or identity), the most severe
 * group first. Each group is headed by the resource and its location; rows give severity, check and
 * message, wrapped at {@link #WIDTH} columns, with the fix on the line below. Waived findings stay,
 * marked {@code waived} with their reason. A closing line gives the totals.
 */
public final class TableWriter implements ReportWriter {

    /** Total line width the table wraps at. */
    public static final int WIDTH = 120;
    /** Widest check column; longer ids push the message right. */
    static final int MAX_CHECK_WIDTH = 30;

    private final Writer out;
    private final AuditInfo info;
    private final Map<Resource, List<Finding>> groups = new LinkedHashMap<>();

    public TableWriter(Writer out, AuditInfo info) {
        this.out = out;
        this.info = info;
    }

    @Override
    public void finding(Finding finding) {
        groups.computeIfAbsent(finding.resource(), r -> new ArrayList<>()).add(finding);
    }

    @Override
    public void finish(Summary summary) {
        StringBuilder b = new StringBuilder();
        b.append(info.title()).append(" — ").append(info.input()).append("\n\n");
        int checkWidth = groups.values().stream().flatMap(List::stream)
                .mapToInt(f -> f.check().length()).max().orElse(5);
        checkWidth = Math.min(Math.max(checkWidth, 5), MAX_CHECK_WIDTH);
        List<Map.Entry<Resource, List<Finding>>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(Comparator.comparing((Map.Entry<Resource, List<Finding>> e) -> worst(e.getValue())).reversed()
                .thenComparing(e -> e.getKey().display()));
        long open = 0;
        long waived = 0;
        for (Map.Entry<Resource, List<Finding>> group : sorted) {
            Resource r = group.getKey();
            b.append(r.display());
            if (r.location() != null) {
                b.append("  (").append(r.location()).append(')');
            }
            b.append('\n');
            List<Finding> findings = new ArrayList<>(group.getValue());
            findings.sort(Comparator.comparing(Finding::waived)
                    .thenComparing(Finding::severity, Comparator.reverseOrder()).thenComparing(Finding::check));
            for (Finding f : findings) {
                if (f.waived()) {
                    waived++;
                } else {
                    open++;
                }
                String severity = f.waived() ? "waived" : f.severity().label();
                String lead = "  " + pad(severity, 9) + pad(f.check(), checkWidth + 2);
                String message = f.message() + (f.waived() ? " [waived: " + f.waiver().reason() + " — " + f.waiver().source() + "]" : "");
                wrap(b, lead, message);
                if (!f.waived() && f.remediation() != null && !f.remediation().isEmpty()) {
                    wrap(b, " ".repeat(lead.length()) + "fix: ", f.remediation());
                }
            }
            b.append('\n');
        }
        b.append(open).append(open == 1 ? " finding" : " findings");
        if (waived > 0) {
            b.append(" and ").append(waived).append(" waived");
        }
        b.append(" in ").append(groups.size()).append(groups.size() == 1 ? " resource" : " resources")
                .append("; ").append(summary.objects()).append(" objects read");
        if (summary.anomalyCount() > 0) {
            b.append(", ").append(summary.anomalyCount()).append(" unreadable (see stderr)");
        }
        if (summary.note() != null) {
            b.append("; ").append(summary.note());
        }
        b.append('\n');
        try {
            out.append(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Severity worst(List<Finding> findings) {
        return findings.stream().filter(f -> !f.waived()).map(Finding::severity)
                .max(Comparator.naturalOrder()).orElse(Severity.INFO);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    /** Appends {@code text} after {@code lead}, wrapping at word boundaries under the first line's text. */
    static void wrap(StringBuilder b, String lead, String text) {
        int width = Math.max(40, WIDTH - lead.length());
        String indent = " ".repeat(lead.length());
        String prefix = lead;
        String rest = text;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = width;
            }
            b.append(prefix).append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).stripLeading();
            prefix = indent;
        }
        b.append(prefix).append(rest).append('\n');
    }
}
