package dev.vigil.detect.rules;

/**
 * Falco's {@code required_engine_version} values: a semantic version {@code x.y.z}, or a bare
 * integer {@code N} that Falco reads as {@code 0.N.0}.
 */
final class EngineVersion {

    private EngineVersion() {
    }

    /** The version as {@code x.y.z}, or null when it is neither form. */
    static String normalize(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            return "0." + Long.parseLong(t) + ".0";
        }
        return t.matches("\\d+\\.\\d+\\.\\d+") ? t : null;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
