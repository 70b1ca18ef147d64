package dev.vigil.detect.alert;

import dev.vigil.model.alert.Mitre;
import dev.vigil.model.alert.Priority;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The name, priority, source and MITRE ATT&amp;CK mapping of one alert a built-in detector raises,
 * and its Falco-style tags: {@code vigil}, the detector's own, each tactic as {@code mitre_<tactic>}
 * and each technique id — the convention of Falco's rule files, so tag-based routing works alike.
 *
 * @param source {@link dev.vigil.model.alert.Alert#SOURCE_SYSCALL} or {@link dev.vigil.model.alert.Alert#SOURCE_NET}
 */
public record BuiltinRule(String name, Priority priority, String source, List<Mitre> mitre, List<String> tags) {

    public BuiltinRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(source, "source");
        if (mitre.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + ": every built-in rule names its MITRE ATT&CK technique");
        }
        mitre = List.copyOf(mitre);
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add("vigil");
        all.addAll(tags);
        for (Mitre m : mitre) {
            all.add(m.tacticTag());
        }
        for (Mitre m : mitre) {
            all.add(m.technique());
        }
        tags = List.copyOf(new ArrayList<>(all));
    }
}
