package dev.vigil.posture.pss;

/**
 * One check a pod fails: the admission's check id ({@code hostNamespaces}), its forbidden reason and
 * detail, as the API server words them. {@code overriddenBy} is set when, at the restricted level, the
 * admission replaces this baseline check by a stricter restricted one (it then reports only that one);
 * Vigil lists the baseline check too, so the report names every rule the pod breaks.
 */
public record Violation(String check, String reason, String detail, String overriddenBy) {

    /** {@code reason (detail)}, the form of the admission's error message. */
    public String message() {
        return detail == null || detail.isEmpty() ? reason : reason + " (" + detail + ")";
    }
}
