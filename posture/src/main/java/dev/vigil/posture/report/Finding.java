package dev.vigil.posture.report;

import java.util.List;

/**
 * One result of an audit: a check that failed (or passed, for PSS allow records) on a resource.
 *
 * @param check       stable check id, e.g. {@code hostNamespaces}, {@code rbac.secrets-read}, {@code CIS-5.1.3}
 * @param title       one-line name of the check
 * @param severity    how urgent it is
 * @param resource    what it is about
 * @param message     what was found, with the offending values
 * @param remediation what to change
 * @param references  CIS Kubernetes Benchmark, NSA/CISA or documentation references; may be empty
 * @param mitre       MITRE ATT&CK technique ids, e.g. {@code T1611}; may be empty
 * @param waiver      the waiver that covers the finding, or null; waived findings are reported, never dropped
 */
public record Finding(
        String check,
        String title,
        Severity severity,
        Resource resource,
        String message,
        String remediation,
        List<String> references,
        List<String> mitre,
        Waiver waiver) {

    public Finding {
        references = List.copyOf(references);
        mitre = List.copyOf(mitre);
    }

    public boolean waived() {
        return waiver != null;
    }

    /** This finding covered by {@code w}. */
    public Finding withWaiver(Waiver w) {
        return new Finding(check, title, severity, resource, message, remediation, references, mitre, w);
    }

    /** A waiver from the configuration file (or an annotation, when enabled): why a finding is accepted. */
    public record Waiver(String source, String reason) {
    }
}
