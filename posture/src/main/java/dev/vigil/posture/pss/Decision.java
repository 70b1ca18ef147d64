package dev.vigil.posture.pss;

import java.util.List;

/**
 * The admission's verdict on one pod at one level and version: allowed or not, and the checks it
 * fails in the admission's order (baseline checks by id, then restricted checks by id).
 */
public record Decision(Level level, PolicyVersion version, boolean allowed, List<Violation> violations) {

    public Decision {
        violations = List.copyOf(violations);
    }

    /** {@code violates PodSecurity "restricted:latest": reason (detail), …}, as the API server says it. */
    public String message() {
        StringBuilder b = new StringBuilder("violates PodSecurity \"").append(level.label()).append(':')
                .append(version.label()).append("\": ");
        boolean first = true;
        for (Violation v : violations) {
            if (v.overriddenBy() == null) {
                b.append(first ? "" : ", ").append(v.message());
                first = false;
            }
        }
        return b.toString();
    }
}
