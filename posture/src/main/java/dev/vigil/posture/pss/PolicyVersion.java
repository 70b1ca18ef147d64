package dev.vigil.posture.pss;

/**
 * A Pod Security Standards policy version: {@code v1.N} or {@code latest}. Versions newer than the
 * newest policy revision ({@link #NEWEST_MINOR}) evaluate as that revision, as the admission does;
 * {@code latest} always does.
 */
public record PolicyVersion(int minor, boolean latest) {

    /** The newest minor any check has a revision for (sysctls gained one in v1.37). */
    public static final int NEWEST_MINOR = 37;

    public static final PolicyVersion LATEST = new PolicyVersion(NEWEST_MINOR, true);

    public static PolicyVersion of(int minor) {
        return new PolicyVersion(minor, false);
    }

    /** Parses {@code latest} or {@code v1.N} ({@code 1.N} too); the exception says the accepted form. */
    public static PolicyVersion parse(String s) {
        if (s == null || s.isEmpty() || s.equals("latest")) {
            return LATEST;
        }
        String v = s.startsWith("v") ? s.substring(1) : s;
        if (v.startsWith("1.")) {
            try {
                int minor = Integer.parseInt(v.substring(2));
                if (minor >= 0) {
                    return of(minor);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("unknown Pod Security version '" + s + "': use latest or v1.N, e.g. v1.30");
    }

    /** The minor the checks run at: this version, capped at the newest revision. */
    public int effectiveMinor() {
        return latest ? NEWEST_MINOR : Math.min(minor, NEWEST_MINOR);
    }

    /** {@code latest} or {@code v1.N}, as the namespace labels spell it. */
    public String label() {
        return latest ? "latest" : "v1." + minor;
    }
}
