package dev.vigil.posture.pss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pod Security levels a namespace asks for through its labels
 * {@code pod-security.kubernetes.io/enforce|audit|warn} and their {@code -version} twins. A missing
 * mode label means privileged, a missing version latest; an invalid level or version is evaluated as
 * restricted:latest, as the admission does.
 */
public record NamespacePolicy(Map<String, LevelVersion> modes) {

    /** A level at a version. */
    public record LevelVersion(Level level, PolicyVersion version) {
    }

    public static final String PREFIX = "pod-security.kubernetes.io/";
    private static final List<String> MODES = List.of("enforce", "audit", "warn");

    /** The policy of a namespace without Pod Security labels: privileged in every mode. */
    public static final NamespacePolicy UNLABELLED = of(Map.of());

    public static NamespacePolicy of(Map<String, String> labels) {
        Map<String, LevelVersion> modes = new LinkedHashMap<>();
        for (String mode : MODES) {
            String level = labels.get(PREFIX + mode);
            String version = labels.get(PREFIX + mode + "-version");
            modes.put(mode, resolve(level, version));
        }
        return new NamespacePolicy(modes);
    }

    private static LevelVersion resolve(String level, String version) {
        try {
            Level l = level == null ? Level.PRIVILEGED : Level.parse(level);
            return new LevelVersion(l, PolicyVersion.parse(version));
        } catch (IllegalArgumentException e) {
            return new LevelVersion(Level.RESTRICTED, PolicyVersion.LATEST);
        }
    }

    /** The distinct level-versions to evaluate, each with the modes that ask for it ({@code enforce}, …). */
    public Map<LevelVersion, List<String>> evaluations() {
        Map<LevelVersion, List<String>> out = new LinkedHashMap<>();
        modes.forEach((mode, lv) -> out.computeIfAbsent(lv, k -> new ArrayList<>()).add(mode));
        return out;
    }
}
