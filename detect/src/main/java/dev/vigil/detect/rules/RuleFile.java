package dev.vigil.detect.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text of one rule file and the name messages use for it (its path, or {@code classpath:…}).
 */
public record RuleFile(String name, String content) {

    /** Vigil's default rules. */
    public static RuleFile vigilDefaults() {
        return resource("rules/vigil_rules.yaml");
    }

    /** The file to load after Falco's own rule files so their file rules match Vigil's file events. */
    public static RuleFile falcoCompat() {
        return resource("rules/falco_compat.yaml");
    }

    /** Reads a file as UTF-8. */
    public static RuleFile read(Path path) throws IOException {
        return new RuleFile(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }

    /** A rule file shipped in Vigil's resources, e.g. {@code rules/vigil_rules.yaml}. */
    public static RuleFile resource(String resource) {
        try (InputStream in = RuleFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no rule file " + resource + " on the class path");
            }
            return new RuleFile("classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
