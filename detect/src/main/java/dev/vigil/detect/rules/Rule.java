package dev.vigil.detect.rules;

import dev.vigil.model.alert.Priority;
import java.util.Set;

/**
 * A loaded rule as the rule files finally define it (after appends and overrides).
 *
 * @param tags     sorted, as Falco keeps them; MITRE ATT&CK tactics and techniques among them
 * @param output   the output format as written
 * @param location where the rule was first defined
 */
public record Rule(String name, String description, Priority priority, String source, Set<String> tags,
                   String output, Location location) {

    public Rule {
        tags = Set.copyOf(tags);
    }
}
