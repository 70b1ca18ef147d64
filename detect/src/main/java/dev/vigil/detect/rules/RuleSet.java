package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.FieldSource;
import java.util.List;
import java.util.Map;

/**
 * The result of loading rule files: the rules ready to run, per source, and the load report.
 * Immutable and shareable between threads.
 */
public final class RuleSet {

    private final Map<String, SourceRules<?>> sources;
    private final List<Rule> rules;
    private final LoadReport report;

    RuleSet(Map<String, SourceRules<?>> sources, List<Rule> rules, LoadReport report) {
        this.sources = Map.copyOf(sources);
        this.rules = List.copyOf(rules);
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }

    /** The enabled, evaluable rules of every source, in load order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The rules for {@code source}, which must be a source this rule set was built with. */
    @SuppressWarnings("unchecked")
    public <C> SourceRules<C> forSource(FieldSource<C> source) {
        SourceRules<?> r = sources.get(source.name());
        if (r == null || r.source() != source) {
            throw new IllegalArgumentException("rule set was not built for source " + source.name()
                    + ": build the RuleEngine with it (RuleEngine.builder().source(...))");
        }
        return (SourceRules<C>) r;
    }
}
