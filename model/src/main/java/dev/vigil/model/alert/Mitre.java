package dev.vigil.model.alert;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MITRE ATT&amp;CK (Enterprise / Containers matrix) mapping of an alert: the technique or
 * sub-technique id, its name, and the tactic it serves in this alert, as ATT&amp;CK's short names
 * ({@code execution}, {@code credential-access}, {@code command-and-control}). Rendered in an alert's
 * {@code mitre} array as {@code {"technique":"T1059.004","name":"Unix Shell","tactic":"execution"}}
 * and mirrored into Falco-style tags ({@code T1059.004}, {@code mitre_execution}).
 */
public record Mitre(String technique, String name, String tactic) {

    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    private static final Pattern TACTIC = Pattern.compile("[a-z]+(-[a-z]+)*");

    public Mitre {
        Objects.requireNonNull(name, "name");
        if (technique == null || !TECHNIQUE.matcher(technique).matches()) {
            throw new IllegalArgumentException("technique: expected an ATT&CK id like T1059 or T1059.004, got " + technique);
        }
        if (tactic == null || !TACTIC.matcher(tactic).matches()) {
            throw new IllegalArgumentException("tactic: expected an ATT&CK short name like credential-access, got " + tactic);
        }
    }

    /** Falco's tag for the tactic: {@code mitre_} and the name with underscores ({@code mitre_credential_access}). */
    public String tacticTag() {
        return "mitre_" + tactic.replace('-', '_');
    }
}
