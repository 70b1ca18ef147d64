package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Severity;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --format} and {@code --fail-on} for the audits of this package: a table grouped by
 * resource (most severe first) or one JSON object per line per finding; the exit code is
 * {@link #EXIT_FINDINGS} when a finding at or above {@code --fail-on} is not waived.
 */
public final class FindingOutput {

    /** Exit code when findings reach the {@code --fail-on} severity. */
    public static final int EXIT_FINDINGS = 3;

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Output format: table or json (one JSON object per line). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit with code 3 when a finding at or above this severity (info, low, medium, high, critical) is reported.")
    String failOn;

    boolean json() {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new UserError("unknown --format '" + format + "': use table or json");
        };
    }

    /** Prints {@code findings} and returns the exit code. */
    int print(List<Finding> findings, PrintWriter out) {
        Severity threshold = threshold();
        if (json()) {
            for (Finding f : findings) {
                out.println(JSON.writeValueAsString(toMap(f)));
            }
        } else {
            table(findings, out);
        }
        out.flush();
        return threshold != null && findings.stream().anyMatch(f -> !f.waived() && f.severity().compareTo(threshold) >= 0)
                ? EXIT_FINDINGS : 0;
    }

    private Severity threshold() {
        if (failOn == null) {
            return null;
        }
        try {
            return Severity.valueOf(failOn.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("unknown --fail-on '" + failOn + "': use info, low, medium, high or critical");
        }
    }

    static Map<String, Object> toMap(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", f.check());
        m.put("title", f.title());
        m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", f.resource().kind());
        r.put("namespace", f.resource().namespace());
        r.put("name", f.resource().name());
        r.put("file", f.resource().file());
        m.put("resource", r);
        m.put("message", f.message());
        m.put("remediation", f.remediation());
        m.put("references", f.references());
        m.put("mitre", f.mitre());
        m.put("waived", f.waived());
        return m;
    }

    private static void table(List<Finding> findings, PrintWriter out) {
        if (findings.isEmpty()) {
            out.println("no findings");
            return;
        }
        Map<String, List<Finding>> byResource = new TreeMap<>();
        for (Finding f : findings) {
            byResource.computeIfAbsent(f.resource().display(), k -> new java.util.ArrayList<>()).add(f);
        }
        byResource.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<Finding>> e) -> -worst(e.getValue()).ordinal())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    out.println(e.getKey());
                    e.getValue().stream().sorted(Comparator.comparing(Finding::severity).reversed()).forEach(f ->
                            out.printf("  %-8s %-32s %s%n", f.severity(), f.check(), f.message()));
                });
        Map<Severity, Long> counts = new TreeMap<>(Comparator.reverseOrder());
        findings.forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        out.println();
        out.println(findings.size() + " findings: " + counts.entrySet().stream()
                .map(c -> c.getValue() + " " + c.getKey().name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Severity worst(List<Finding> fs) {
        return fs.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.INFO);
    }
}
