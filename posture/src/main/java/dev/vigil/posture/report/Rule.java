package dev.vigil.posture.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Metadata of one check, as SARIF {@code rules} and JUnit suites show it: id, title, what it looks
 * for, how to fix findings, default severity and tags (MITRE ATT&amp;CK technique ids, CIS Kubernetes
 * Benchmark ids as {@code CIS-5.2.2}, NSA/CISA references).
 */
public record Rule(String id, String title, String description, String help, Severity severity, List<String> tags,
                   String helpUri) {

    public Rule {
        tags = List.copyOf(tags);
    }

    /** The rule a finding implies when the audit declared none for its check. */
    public static Rule of(Finding f) {
        List<String> tags = new ArrayList<>(f.mitre());
        tags.addAll(f.references());
        return new Rule(f.check(), f.title(), f.title(), f.remediation(), f.severity(), tags, null);
    }
}
