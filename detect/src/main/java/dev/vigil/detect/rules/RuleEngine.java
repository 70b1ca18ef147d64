package dev.vigil.detect.rules;

import dev.vigil.detect.rules.fields.FieldSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads Falco-format rule files into a {@link RuleSet}: reader (YAML items with file:line:column),
 * collector (later definitions, {@code append} and {@code override} change earlier ones), compiler
 * (lists, macros, exceptions, conditions to evaluators) and the per-source index by event type.
 * Files are applied in the order given, as Falco applies {@code rules_files}: defaults first, user
 * files after. A rule file whose rules have no {@code source:} belongs to {@link #SYSCALL_SOURCE}.
 *
 * <pre>{@code
 * RuleEngine engine = RuleEngine.builder().source(HostFields.SOURCE).source(NetFields.SOURCE).build();
 * RuleSet rules = engine.load(List.of(RuleFile.resource("rules/vigil_rules.yaml")));
 * rules.forSource(HostFields.SOURCE).evaluate(ctx, match -> ...);
 * }</pre>
 */
public final class RuleEngine {

    /** The Falco rule-engine version whose rule format Vigil implements. */
    public static final String FALCO_ENGINE_VERSION = "0.57.0";
    /** Falco's default source: system-call (host) events. */
    public static final String SYSCALL_SOURCE = "syscall";

    private final Map<String, FieldSource<?>> sources;
    private final RuleMatching matching;

    private RuleEngine(Map<String, FieldSource<?>> sources, RuleMatching matching) {
        this.sources = Map.copyOf(sources);
        this.matching = matching;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads {@code files} in order. Loading never throws for bad rules: read errors stop their file
     * (as in Falco) and leave the rule set empty; every problem is in {@link RuleSet#report()}.
     */
    public RuleSet load(List<RuleFile> files) {
        List<LoadMessage> messages = new ArrayList<>();
        RuleCollector collector = new RuleCollector(sources.keySet(), messages);
        boolean readOk = true;
        List<String> names = new ArrayList<>();
        for (RuleFile f : files) {
            names.add(f.name());
            readOk &= RuleReader.read(f.name(), f.content(), collector, messages, SYSCALL_SOURCE);
        }
        return build(names, collector, messages, readOk);
    }

    /** Reads and loads files from disk; a file that cannot be read is an error in the report. */
    public RuleSet loadPaths(List<Path> paths) {
        List<RuleFile> files = new ArrayList<>();
        List<LoadMessage> readErrors = new ArrayList<>();
        for (Path p : paths) {
            try {
                files.add(RuleFile.read(p));
            } catch (IOException e) {
                readErrors.add(new LoadMessage(LoadMessage.Severity.ERROR, LoadCode.LOAD_ERR_FILE_READ,
                        "cannot read rule file: " + e + "; check the path and its permissions",
                        new Location(p.toString(), 0, 0), "file", null, null));
            }
        }
        if (readErrors.isEmpty()) {
            return load(files);
        }
        LoadReport report = new LoadReport(paths.stream().map(Path::toString).toList(), readErrors, List.of(), null,
                List.of());
        return new RuleSet(Map.of(), List.of(), report);
    }

    private RuleSet build(List<String> files, RuleCollector collector, List<LoadMessage> messages, boolean readOk) {
        List<String> plugins = collector.pluginRequirements().stream()
                .map(p -> p.name() + " " + p.version() + (p.alternatives().isEmpty() ? ""
                        : " (or " + String.join(", ", p.alternatives()) + ")"))
                .distinct()
                .toList();
        if (!readOk) {
            List<LoadReport.RuleStatus> statuses = collector.rules().stream()
                    .map(r -> new LoadReport.RuleStatus(r.name, r.source, r.location, r.enabled, LoadReport.State.ERROR,
                            java.util.Set.of(), java.util.Set.of(), false))
                    .toList();
            return new RuleSet(Map.of(), List.of(),
                    new LoadReport(files, messages, statuses, collector.requiredEngineVersion(), plugins));
        }
        RuleCompiler.Output out = RuleCompiler.compile(collector, sources, messages);
        Map<String, SourceRules<?>> bySource = new LinkedHashMap<>();
        for (FieldSource<?> source : sources.values()) {
            bySource.put(source.name(), index(source, out.bySource().getOrDefault(source.name(), List.of())));
        }
        LoadReport report = new LoadReport(files, messages, out.statuses(), collector.requiredEngineVersion(), plugins);
        return new RuleSet(bySource, out.rules(), report);
    }

    @SuppressWarnings("unchecked")
    private <C> SourceRules<C> index(FieldSource<C> source, List<SourceRules.Compiled<?>> rules) {
        List<SourceRules.Compiled<C>> typed = new ArrayList<>();
        for (SourceRules.Compiled<?> r : rules) {
            typed.add((SourceRules.Compiled<C>) r);
        }
        return new SourceRules<>(source, typed, matching);
    }

    /** Configures the sources rules may use and how matches are reported. */
    public static final class Builder {
        private final Map<String, FieldSource<?>> sources = new LinkedHashMap<>();
        private RuleMatching matching = RuleMatching.FIRST;

        /** Adds a source; its name is what rules give in {@code source:}. */
        public Builder source(FieldSource<?> source) {
            if (sources.putIfAbsent(source.name(), source) != null) {
                throw new IllegalArgumentException("source " + source.name() + " added twice");
            }
            return this;
        }

        /** {@link RuleMatching#FIRST} (Falco's default) or {@link RuleMatching#ALL}. */
        public Builder matching(RuleMatching matching) {
            this.matching = Objects.requireNonNull(matching);
            return this;
        }

        public RuleEngine build() {
            return new RuleEngine(sources, matching);
        }
    }
}
