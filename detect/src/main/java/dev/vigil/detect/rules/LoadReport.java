package dev.vigil.detect.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What loading rule files produced: errors and warnings with their places, the requirements the
 * files declared, and the state of every rule, so no rule goes missing silently. A rule is
 * evaluable when its source is known and its condition compiled with fields Vigil provides; a rule
 * needing fields Vigil lacks stays listed with those fields.
 *
 * @param files                 the files loaded, in order
 * @param requiredEngineVersion the highest {@code required_engine_version} declared, or null
 * @param pluginRequirements    {@code required_plugin_versions} as declared ({@code name version}),
 *                              accepted and reported: Vigil has no plugins but provides the
 *                              {@code container} plugin's fields itself
 */
public record LoadReport(List<String> files, List<LoadMessage> messages, List<RuleStatus> rules,
                         String requiredEngineVersion, List<String> pluginRequirements) {

    /** The state of one rule after loading. */
    public enum State {
        /** Compiled and ready to evaluate (when enabled). */
        EVALUABLE,
        /** The condition needs fields Vigil does not provide. */
        MISSING_FIELDS,
        /** The rule's source is not one Vigil has. */
        UNKNOWN_SOURCE,
        /** The rule failed to compile (an error is in the messages). */
        ERROR
    }

    /**
     * One rule's state.
     *
     * @param missingFields       condition fields Vigil lacks (empty unless {@link State#MISSING_FIELDS})
     * @param missingOutputFields output fields Vigil lacks; they render as {@code <NA>}
     * @param firesOnVigilEvents  false when the rule can only match event types Vigil never produces
     */
    public record RuleStatus(String name, String source, Location location, boolean enabled, State state,
                             Set<String> missingFields, Set<String> missingOutputFields, boolean firesOnVigilEvents) {
    }

    public LoadReport {
        files = List.copyOf(files);
        messages = List.copyOf(messages);
        rules = List.copyOf(rules);
        pluginRequirements = List.copyOf(pluginRequirements);
    }

    public List<LoadMessage> errors() {
        return messages.stream().filter(m -> m.severity() == LoadMessage.Severity.ERROR).toList();
    }

    public List<LoadMessage> warnings() {
        return messages.stream().filter(m -> m.severity() == LoadMessage.Severity.WARNING).toList();
    }

    public boolean hasErrors() {
        return messages.stream().anyMatch(m -> m.severity() == LoadMessage.Severity.ERROR);
    }

    /** The rule named {@code name}, or null. */
    public RuleStatus rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    public long enabledCount() {
        return rules.stream().filter(RuleStatus::enabled).count();
    }

    /** Rules that are enabled and evaluable: the ones the rule set runs. */
    public long evaluableCount() {
        return rules.stream().filter(r -> r.enabled() && r.state() == State.EVALUABLE).count();
    }

    public long countIn(State state) {
        return rules.stream().filter(r -> r.state() == state).count();
    }

    /** Each field Vigil lacks, with how many rules' conditions need it. */
    public Map<String, Integer> missingFieldUse() {
        Map<String, Integer> out = new TreeMap<>();
        for (RuleStatus r : rules) {
            for (String f : r.missingFields()) {
                out.merge(f, 1, Integer::sum);
            }
        }
        return out;
    }

    /** A readable summary: totals, every rule Vigil cannot evaluate with the fields it lacks, errors. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("rule files: ").append(String.join(", ", files)).append('\n');
        if (requiredEngineVersion != null) {
            b.append("required engine version: ").append(requiredEngineVersion).append(" (Vigil implements ")
                    .append(RuleEngine.FALCO_ENGINE_VERSION).append(")\n");
        }
        if (!pluginRequirements.isEmpty()) {
            b.append("required plugins (accepted, not loaded): ").append(String.join("; ", pluginRequirements)).append('\n');
        }
        b.append("rules: ").append(rules.size()).append(" loaded, ").append(enabledCount()).append(" enabled, ")
                .append(evaluableCount()).append(" enabled and evaluable, ").append(countIn(State.MISSING_FIELDS))
                .append(" need fields Vigil lacks, ").append(countIn(State.UNKNOWN_SOURCE)).append(" of unknown sources, ")
                .append(countIn(State.ERROR)).append(" failed\n");
        b.append("errors: ").append(errors().size()).append(", warnings: ").append(warnings().size()).append('\n');
        for (RuleStatus r : rules) {
            if (r.state() == State.MISSING_FIELDS) {
                b.append("  not evaluable: ").append(r.name()).append(r.enabled() ? "" : " (disabled)")
                        .append(" — missing ").append(String.join(", ", r.missingFields())).append('\n');
            } else if (r.state() == State.UNKNOWN_SOURCE) {
                b.append("  unknown source ").append(r.source()).append(": ").append(r.name()).append('\n');
            } else if (r.state() == State.EVALUABLE && !r.firesOnVigilEvents()) {
                b.append("  evaluable, but waits on event types Vigil does not produce: ").append(r.name()).append('\n');
            }
        }
        Map<String, Integer> use = missingFieldUse();
        if (!use.isEmpty()) {
            b.append("fields Vigil lacks (rules needing each): ");
            use.forEach((f, n) -> b.append(f).append('=').append(n).append(' '));
            b.setLength(b.length() - 1);
            b.append('\n');
        }
        for (LoadMessage m : errors()) {
            b.append(m).append('\n');
        }
        return b.toString();
    }
}
