package dev.vigil.posture.report;

import java.util.List;

/**
 * What a report is about, for its header: the audit ({@code pss}, {@code workloads}, {@code rbac}),
 * a title with its parameters, the input it read, the tool version and the rules it checks (may be
 * empty: writers then derive rules from the findings).
 */
public record AuditInfo(String audit, String title, String input, String toolVersion, List<Rule> rules) {

    public AuditInfo {
        rules = List.copyOf(rules);
    }

    /** The tool version recorded in the jar manifest, or {@code development}. */
    public static String vigilVersion() {
        String v = AuditInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-development";
    }
}
