package dev.vigil.detect.rules;

import dev.vigil.model.alert.Priority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects the lists, macros and rules of every file read, in order, applying Falco's
 * {@code rule_loader::collector} semantics: a later definition of a name replaces the earlier one
 * but keeps its place (index); {@code append} and {@code override} change the earlier item; every
 * change raises the item's visibility, which decides which lists and macros it may refer to (those
 * defined before it). Not thread-safe; one collector per load.
 */
final class RuleCollector {

    /** An item's place in load order and the newest load position it may see. */
    abstract static class Info {
        final String name;
        Location location;
        int index;
        int visibility;

        Info(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    static final class ListInfo extends Info {
        final List<String> items;

        ListInfo(String name, Location location, List<String> items) {
            super(name, location);
            this.items = new ArrayList<>(items);
        }
    }

    static final class MacroInfo extends Info {
        String condition;
        Location conditionLocation;

        MacroInfo(String name, Location location, String condition, Location conditionLocation) {
            super(name, location);
            this.condition = condition;
            this.conditionLocation = conditionLocation;
        }
    }

    /** A value of an exception: a string, or a list of (lists of) strings. */
    record Entry(String item, List<Entry> items) {
        static Entry of(String item) {
            return new Entry(item, null);
        }

        boolean isList() {
            return items != null;
        }
    }

    static final class ExceptionInfo {
        final String name;
        final Location location;
        Entry fields;
        Entry comps;
        final List<Entry> values = new ArrayList<>();

        ExceptionInfo(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    static final class RuleInfo extends Info {
        String condition;
        Location conditionLocation;
        String output;
        Location outputLocation;
        String description;
        Priority priority;
        String source;
        Set<String> tags = new TreeSet<>();
        boolean enabled = true;
        boolean warnEvttypes = true;
        boolean skipIfUnknownFilter;
        List<ExceptionInfo> exceptions = new ArrayList<>();
        boolean unknownSource;

        RuleInfo(String name, Location location) {
            super(name, location);
        }
    }

    /** The fields an {@code append} or {@code override} changes; null means "not given". */
    static final class RuleUpdate {
        final String name;
        final Location location;
        String condition;
        String output;
        String description;
        Set<String> tags;
        List<ExceptionInfo> exceptions;
        Priority priority;
        Boolean enabled;
        Boolean warnEvttypes;
        Boolean skipIfUnknownFilter;

        RuleUpdate(String name, Location location) {
            this.name = name;
            this.location = location;
        }

        boolean hasAnyValue() {
            return condition != null || output != null || description != null || tags != null || exceptions != null
                    || priority != null || enabled != null || warnEvttypes != null || skipIfUnknownFilter != null;
        }
    }

    /** A plugin version requirement with its alternatives, kept for the report. */
    record PluginRequirement(String name, String version, List<String> alternatives, Location location) {
    }

    private final Map<String, ListInfo> lists = new LinkedHashMap<>();
    private final Map<String, MacroInfo> macros = new LinkedHashMap<>();
    private final Map<String, RuleInfo> rules = new LinkedHashMap<>();
    private final List<PluginRequirement> pluginRequirements = new ArrayList<>();
    private final Set<String> knownSources;
    private final List<LoadMessage> messages;
    private String requiredEngineVersion;
    private int next;

    RuleCollector(Set<String> knownSources, List<LoadMessage> messages) {
        this.knownSources = knownSources;
        this.messages = messages;
    }

    List<ListInfo> lists() {
        return sorted(lists.values());
    }

    List<MacroInfo> macros() {
        return sorted(macros.values());
    }

    List<RuleInfo> rules() {
        return sorted(rules.values());
    }

    ListInfo list(String name) {
        return lists.get(name);
    }

    List<PluginRequirement> pluginRequirements() {
        return List.copyOf(pluginRequirements);
    }

    String requiredEngineVersion() {
        return requiredEngineVersion;
    }

    private static <T extends Info> List<T> sorted(java.util.Collection<T> infos) {
        List<T> out = new ArrayList<>(infos);
        out.sort((a, b) -> Integer.compare(a.index, b.index));
        return out;
    }

    void requireEngineVersion(String version, Location location) throws RuleLoadException {
        if (EngineVersion.compare(version, RuleEngine.FALCO_ENGINE_VERSION) > 0) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, "Rules require engine version " + version
                    + ", but engine version is " + RuleEngine.FALCO_ENGINE_VERSION, location,
                    "required_engine_version", null);
        }
        if (requiredEngineVersion == null || EngineVersion.compare(version, requiredEngineVersion) > 0) {
            requiredEngineVersion = version;
        }
    }

    void requirePlugin(PluginRequirement requirement) {
        pluginRequirements.add(requirement);
    }

    void defineList(ListInfo info) {
        define(lists, info);
    }

    void appendList(ListInfo info) throws RuleLoadException {
        ListInfo prev = previous(lists, info.name, info.location, "list",
                "List uses 'append' or 'override.items: append' but no list by that name already exists");
        prev.items.addAll(info.items);
        prev.visibility = next++;
    }

    void defineMacro(MacroInfo info) {
        define(macros, info);
    }

    void appendMacro(MacroInfo info) throws RuleLoadException {
        MacroInfo prev = previous(macros, info.name, info.location, "macro",
                "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists");
        prev.condition = prev.condition + " " + info.condition;
        prev.visibility = next++;
    }

    void defineRule(RuleInfo info) throws RuleLoadException {
        RuleInfo prev = rules.get(info.name);
        if (prev != null && !Objects.equals(prev.source, info.source)) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, "Rule has been re-defined with a different source",
                    info.location, "rule", info.name);
        }
        if (!knownSources.contains(info.source)) {
            info.unknownSource = true;
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_UNKNOWN_SOURCE,
                    "Unknown source " + info.source + ", skipping", info.location, "rule", info.name, null));
        }
        for (ExceptionInfo ex : info.exceptions) {
            if (ex.fields == null) {
                throw invalid(ex, "Rule exception item must have fields property with a list of fields");
            }
            validateException(ex);
        }
        define(rules, info);
    }

    void appendRule(RuleUpdate update) throws RuleLoadException {
        RuleInfo prev = previous(rules, update.name, update.location, "rule",
                "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists");
        if (!update.hasAnyValue()) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, "Appended rule must have exceptions or condition property",
                    update.location, "rule", update.name);
        }
        if (update.condition != null && !update.condition.isEmpty()) {
            prev.condition = prev.condition + " " + update.condition;
        }
        if (update.output != null && !update.output.isEmpty()) {
            prev.output = prev.output + " " + update.output;
        }
        if (update.description != null && !update.description.isEmpty()) {
            prev.description = prev.description + " " + update.description;
        }
        if (update.tags != null) {
            prev.tags.addAll(update.tags);
        }
        if (update.exceptions != null) {
            for (ExceptionInfo ex : update.exceptions) {
                ExceptionInfo existing = prev.exceptions.stream().filter(e -> e.name.equals(ex.name)).findFirst().orElse(null);
                if (existing == null) {
                    if (ex.fields == null) {
                        throw invalid(ex, "Rule exception must have fields property with a list of fields");
                    }
                    if (ex.values.isEmpty()) {
                        throw invalid(ex, "Rule exception must have values property with a list of values");
                    }
                    validateException(ex);
                    prev.exceptions.add(ex);
                } else {
                    if (ex.fields != null) {
                        throw invalid(ex, "Can not append exception fields to existing exception, only values");
                    }
                    if (ex.comps != null) {
                        throw invalid(ex, "Can not append exception comps to existing exception, only values");
                    }
                    existing.values.addAll(ex.values);
                }
            }
        }
        prev.visibility = next++;
    }

    void replaceRule(RuleUpdate update) throws RuleLoadException {
        RuleInfo prev = previous(rules, update.name, update.location, "rule",
                "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists");
        if (!update.hasAnyValue()) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, "The rule must have at least one field that can be replaced",
                    update.location, "rule", update.name);
        }
        if (update.condition != null) {
            prev.condition = update.condition;
        }
        if (update.output != null) {
            prev.output = update.output;
        }
        if (update.description != null) {
            prev.description = update.description;
        }
        if (update.tags != null) {
            prev.tags = new TreeSet<>(update.tags);
        }
        if (update.exceptions != null) {
            for (ExceptionInfo ex : update.exceptions) {
                if (ex.fields == null) {
                    throw invalid(ex, "Rule exception must have fields property with a list of fields");
                }
                validateException(ex);
            }
            prev.exceptions = new ArrayList<>(update.exceptions);
        }
        if (update.priority != null) {
            prev.priority = update.priority;
        }
        if (update.enabled != null) {
            prev.enabled = update.enabled;
        }
        if (update.warnEvttypes != null) {
            prev.warnEvttypes = update.warnEvttypes;
        }
        if (update.skipIfUnknownFilter != null) {
            prev.skipIfUnknownFilter = update.skipIfUnknownFilter;
        }
        prev.visibility = next++;
    }

    void enableRule(String name, boolean enabled, Location location) throws RuleLoadException {
        RuleInfo prev = previous(rules, name, location, "rule",
                "Rule has 'enabled' key but no rule by that name already exists");
        prev.enabled = enabled;
    }

    /** The item an append, override or toggle changes; {@code missing} is the error when there is none. */
    private static <T extends Info> T previous(Map<String, T> infos, String name, Location location, String kind,
                                               String missing) throws RuleLoadException {
        T prev = infos.get(name);
        if (prev == null) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, missing, location, kind, name);
        }
        return prev;
    }

    /** An error in an exception's shape, placed at the exception. */
    static RuleLoadException invalid(ExceptionInfo ex, String message) {
        return new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, message, ex.location, "exception", ex.name);
    }

    private <T extends Info> void define(Map<String, T> infos, T info) {
        T prev = infos.get(info.name);
        int id = next++;
        info.visibility = id;
        info.index = prev != null ? prev.index : id;
        infos.put(info.name, info);
    }

    /** Falco's {@code validate_exception_info}: defaults comps, checks lengths and operators. */
    private static void validateException(ExceptionInfo ex) throws RuleLoadException {
        if (ex.fields.isList()) {
            if (ex.comps == null) {
                List<Entry> eq = new ArrayList<>();
                for (int i = 0; i < ex.fields.items().size(); i++) {
                    eq.add(Entry.of("="));
                }
                ex.comps = new Entry(null, eq);
            }
            if (!ex.comps.isList() || ex.fields.items().size() != ex.comps.items().size()) {
                throw invalid(ex, "Fields and comps lists must have equal length");
            }
            for (Entry c : ex.comps.items()) {
                if (c.isList() || !RuleCompiler.OPERATORS.contains(c.item())) {
                    throw invalid(ex, "'" + c.item() + "' is not a supported comparison operator");
                }
            }
        } else {
            if (ex.comps == null) {
                ex.comps = Entry.of("in");
            }
            if (ex.comps.isList()) {
                throw invalid(ex, "Fields and comps must both be strings");
            }
            if (!Set.of("in", "pmatch", "intersects").contains(ex.comps.item())) {
                throw invalid(ex, "When fields is a single value, comps must be one of (in, pmatch, intersects)");
            }
        }
    }
}
