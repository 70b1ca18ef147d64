package dev.vigil.detect.rules;

import dev.vigil.detect.rules.RuleCollector.Entry;
import dev.vigil.detect.rules.RuleCollector.ExceptionInfo;
import dev.vigil.detect.rules.RuleCollector.ListInfo;
import dev.vigil.detect.rules.RuleCollector.MacroInfo;
import dev.vigil.detect.rules.RuleCollector.RuleInfo;
import dev.vigil.detect.rules.RuleCollector.RuleUpdate;
import dev.vigil.model.alert.Priority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one rule file (YAML, possibly several documents) into a {@link RuleCollector}, item by
 * item, as Falco's {@code rule_loader::reader}: {@code required_engine_version},
 * {@code required_plugin_versions}, {@code list}, {@code macro} and {@code rule} items, the legacy
 * {@code append: true}, {@code override:} with {@code append}/{@code replace} per key, and the
 * standalone {@code enabled:} toggle. Every message carries the file, line and column of the item
 * or key concerned. As in Falco, reading a file stops at its first error.
 *
 * <p>Limits: a file may hold at most {@link #MAX_FILE_CHARS} characters and YAML aliases are
 * limited to {@link #MAX_ALIASES}, so a hostile file cannot exhaust memory.
 */
final class RuleReader {

    /** Largest rule file accepted, in characters. */
    static final int MAX_FILE_CHARS = 16 * 1024 * 1024;
    /** Largest number of YAML aliases in one file (billion-laughs guard). */
    static final int MAX_ALIASES = 50;

    private static final String WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry "
            + "(e.g. 'condition: append') under 'override' instead.";
    private static final String WARNING_ENABLED = "The standalone 'enabled' key usage is deprecated. The correct "
            + "approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
    private static final String ERROR_OVERRIDE_APPEND = "Keys 'override' and 'append: true' cannot be used together. "
            + "Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
    private static final String RGX_IDENTIFIER = "([a-zA-Z]+[a-zA-Z0-9_]*)";
    private static final String RGX_BARESTR = "([^()\"'[:space:]=,]+)";
    private static final Set<String> RULE_APPENDABLE = new LinkedHashSet<>(
            List.of("condition", "output", "desc", "tags", "exceptions"));
    private static final Set<String> RULE_REPLACEABLE = new LinkedHashSet<>(List.of("condition", "output", "desc",
            "priority", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter"));

    private final String file;
    private final RuleCollector collector;
    private final List<LoadMessage> messages;
    private final String defaultSource;

    private RuleReader(String file, RuleCollector collector, List<LoadMessage> messages, String defaultSource) {
        this.file = file;
        this.collector = collector;
        this.messages = messages;
        this.defaultSource = defaultSource;
    }

    /** Reads {@code content}; returns false when an error stopped the file. */
    static boolean read(String file, String content, RuleCollector collector, List<LoadMessage> messages,
                        String defaultSource) {
        RuleReader reader = new RuleReader(file, collector, messages, defaultSource);
        Location top = new Location(file, 0, 0);
        if (content.length() > MAX_FILE_CHARS) {
            messages.add(error(LoadCode.LOAD_ERR_FILE_READ, "rule file has " + content.length()
                    + " characters, more than the limit of " + MAX_FILE_CHARS, top, "file", null));
            return false;
        }
        List<Node> docs = new ArrayList<>();
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setMaxAliasesForCollections(MAX_ALIASES)
                    .setAllowDuplicateKeys(true).build();
            for (Node doc : new Compose(settings).composeAllFromString(content)) {
                docs.add(doc);
            }
        } catch (MarkedYamlEngineException e) {
            Location at = e.getProblemMark().map(reader::location).orElse(top);
            messages.add(error(LoadCode.LOAD_ERR_YAML_PARSE, e.getProblem(), at, "file", null));
            return false;
        } catch (YamlEngineException e) {
            messages.add(error(LoadCode.LOAD_ERR_YAML_PARSE, e.getMessage(), top, "file", null));
            return false;
        }
        for (Node doc : docs) {
            if (isNull(doc)) {
                continue;
            }
            try {
                if (!(doc instanceof SequenceNode seq)) {
                    throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, doc instanceof MappingNode
                            ? "Rules content is not yaml array of objects" : "Rules content is not yaml",
                            reader.location(doc), "file", null);
                }
                for (Node item : seq.getValue()) {
                    if (!isNull(item)) {
                        reader.readItem(item);
                    }
                }
            } catch (RuleLoadException e) {
                messages.add(e.loadMessage());
                return false;
            }
        }
        return true;
    }

    private void readItem(Node node) throws RuleLoadException {
        if (!(node instanceof MappingNode mapping)) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE,
                    "Unexpected element type. Each element should be a yaml associative array.", location(node),
                    "item", null);
        }
        Item item = new Item(mapping);
        if (item.has("required_engine_version")) {
            readEngineVersion(item);
        } else if (item.has("required_plugin_versions")) {
            readPluginVersions(item);
        } else if (item.has("list")) {
            readList(item);
        } else if (item.has("macro")) {
            readMacro(item);
        } else if (item.has("rule")) {
            readRule(item);
        } else {
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_UNKNOWN_ITEM, "Unknown top level item",
                    item.location, "item", null, null));
        }
    }

    private void readEngineVersion(Item item) throws RuleLoadException {
        item.kind = "required_engine_version";
        String text = item.string("required_engine_version", false);
        String version = EngineVersion.normalize(text);
        if (version == null) {
            throw item.error("Unable to parse engine version '" + text
                    + "' as a semver string. Expected \"x.y.z\" semver format.");
        }
        collector.requireEngineVersion(version, item.location);
    }

    private void readPluginVersions(Item item) throws RuleLoadException {
        item.kind = "required_plugin_versions";
        Node value = item.get("required_plugin_versions");
        if (!(value instanceof SequenceNode seq)) {
            throw item.error("Value of required_plugin_versions must be a sequence");
        }
        for (Node p : seq.getValue()) {
            if (!(p instanceof MappingNode pm)) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Plugin version must be a mapping",
                        location(p), "required_plugin_versions", null);
            }
            Item plugin = new Item(pm);
            plugin.kind = "required_plugin_versions";
            String name = plugin.string("name", false);
            plugin.name = name;
            String version = plugin.string("version", false);
            List<String> alternatives = new ArrayList<>();
            Node alts = plugin.get("alternatives");
            if (alts != null) {
                if (!(alts instanceof SequenceNode altSeq)) {
                    throw plugin.error("Value of plugin version alternatives must be a sequence");
                }
                for (Node a : altSeq.getValue()) {
                    if (!(a instanceof MappingNode am)) {
                        throw plugin.error("Plugin version alternative must be a mapping");
                    }
                    Item alt = new Item(am);
                    alt.kind = "required_plugin_versions";
                    alternatives.add(alt.string("name", false) + " " + alt.string("version", false));
                }
            }
            collector.requirePlugin(new RuleCollector.PluginRequirement(name, version, alternatives, plugin.location));
        }
    }

    private void readList(Item item) throws RuleLoadException {
        item.kind = "list";
        String name = item.string("list", false);
        item.name = name;
        if (!name.matches(javaRegex(RGX_BARESTR))) {
            throw item.error("List has an invalid name. List names must match a regular expression: " + RGX_BARESTR);
        }
        List<String> items = item.strings("items", false);
        Overrides o = changes(item, Set.of("items"), Set.of("items"));
        ListInfo info = new ListInfo(name, item.location, items);
        if (o.legacyAppend() || o.append.contains("items")) {
            collector.appendList(info);
        } else {
            collector.defineList(info);
        }
    }

    private void readMacro(Item item) throws RuleLoadException {
        item.kind = "macro";
        String name = item.string("macro", false);
        item.name = name;
        if (!name.matches(javaRegex(RGX_IDENTIFIER))) {
            throw item.error("Macro has an invalid name. Macro names must match a regular expression: " + RGX_IDENTIFIER);
        }
        String condition = item.string("condition", false);
        Overrides o = changes(item, Set.of("condition"), Set.of("condition"));
        MacroInfo info = new MacroInfo(name, item.location, condition, item.valueLocation("condition"));
        if (o.legacyAppend() || o.append.contains("condition")) {
            collector.appendMacro(info);
        } else {
            collector.defineMacro(info);
        }
    }

    private void readRule(Item item) throws RuleLoadException {
        item.kind = "rule";
        String name = item.string("rule", false);
        item.name = name;
        Overrides o = changes(item, RULE_APPENDABLE, RULE_REPLACEABLE);
        boolean append = o.legacyAppend();
        if (o.any()) {
            Set<String> expected = new LinkedHashSet<>();
            for (String key : RULE_REPLACEABLE) {
                if (item.has(key)) {
                    expected.add(key);
                }
            }
            if (!o.append.isEmpty()) {
                RuleUpdate u = update(item, o.append, expected, "append");
                collector.appendRule(u);
            }
            if (!o.replace.isEmpty()) {
                RuleUpdate u = update(item, o.replace, expected, "replace");
                collector.replaceRule(u);
            }
            for (String key : expected) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Unexpected key '" + key
                        + "': no corresponding entry under 'override' is defined.", item.keyLocation(key), "rule", name);
            }
        } else if (append) {
            RuleUpdate u = new RuleUpdate(name, item.location);
            if (item.has("condition")) {
                u.condition = item.string("condition", false);
            }
            if (item.has("exceptions")) {
                u.exceptions = exceptions(item, true);
            }
            collector.appendRule(u);
        } else if (!item.has("condition") && !item.has("output") && !item.has("desc") && !item.has("priority")) {
            boolean enabled = item.bool("enabled", false);
            warn(LoadCode.LOAD_DEPRECATED_ITEM, WARNING_ENABLED, item);
            collector.enableRule(name, enabled, item.location);
        } else {
            RuleInfo r = new RuleInfo(name, item.location);
            r.condition = item.string("condition", false);
            r.conditionLocation = item.valueLocation("condition");
            r.output = item.string("output", false).strip();
            r.outputLocation = item.valueLocation("output");
            r.description = item.string("desc", false);
            r.priority = priority(item);
            String source = item.string("source", true);
            r.source = source == null ? defaultSource : source;
            r.enabled = item.has("enabled") ? item.bool("enabled", false) : true;
            r.warnEvttypes = item.has("warn_evttypes") ? item.bool("warn_evttypes", false) : true;
            r.skipIfUnknownFilter = item.has("skip-if-unknown-filter") && item.bool("skip-if-unknown-filter", false);
            r.tags = new TreeSet<>(item.has("tags") ? item.strings("tags", false) : List.of());
            r.exceptions = exceptions(item, false);
            collector.defineRule(r);
        }
    }

    private RuleUpdate update(Item item, Set<String> keys, Set<String> expected, String kind) throws RuleLoadException {
        RuleUpdate u = new RuleUpdate(item.name, item.location);
        for (String key : keys) {
            if (!expected.remove(key)) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "An " + kind + " override for '" + key
                        + "' was specified but '" + key + "' is not defined", item.location, "rule", item.name);
            }
            switch (key) {
                case "condition" -> u.condition = item.string("condition", false);
                case "output" -> u.output = item.string("output", false);
                case "desc" -> u.description = item.string("desc", false);
                case "tags" -> u.tags = new TreeSet<>(item.strings("tags", false));
                case "exceptions" -> u.exceptions = exceptions(item, true);
                case "priority" -> u.priority = priority(item);
                case "enabled" -> u.enabled = item.bool("enabled", false);
                case "warn_evttypes" -> u.warnEvttypes = item.bool("warn_evttypes", false);
                case "skip-if-unknown-filter" -> u.skipIfUnknownFilter = item.bool("skip-if-unknown-filter", false);
                default -> throw new IllegalStateException(key);
            }
        }
        return u;
    }

    private Priority priority(Item item) throws RuleLoadException {
        String text = item.string("priority", false);
        Priority p = Priority.parse(text);
        if (p == null) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Invalid priority", item.valueLocation("priority"),
                    "rule", item.name);
        }
        return p;
    }

    /** How an item changes an earlier one: legacy {@code append: true}, or keys under {@code override:}. */
    private record Overrides(boolean legacyAppend, Set<String> append, Set<String> replace) {
        boolean any() {
            return !append.isEmpty() || !replace.isEmpty();
        }
    }

    /** Reads {@code append} and {@code override}, warning on the former and refusing both together. */
    private Overrides changes(Item item, Set<String> appendable, Set<String> replaceable) throws RuleLoadException {
        boolean legacyAppend = item.bool("append");
        if (legacyAppend) {
            warn(LoadCode.LOAD_DEPRECATED_ITEM, WARNING_APPEND, item);
        }
        Set<String> append = new LinkedHashSet<>();
        Set<String> replace = new LinkedHashSet<>();
        Node node = item.get("override");
        if (node == null) {
            return new Overrides(legacyAppend, append, replace);
        }
        if (!(node instanceof MappingNode m)) {
            throw item.error("Value of 'override' must be a mapping of keys to 'append' or 'replace'");
        }
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode());
            String op = scalar(t.getValueNode());
            Location at = location(t.getKeyNode());
            if ("append".equals(op)) {
                if (!appendable.contains(key)) {
                    throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE,
                            "Key '" + key + "' cannot be appended to, use 'replace' instead", at, item.kind, item.name);
                }
                append.add(key);
            } else if ("replace".equals(op)) {
                if (!replaceable.contains(key)) {
                    throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Key '" + key + "' cannot be replaced",
                            at, item.kind, item.name);
                }
                replace.add(key);
            } else {
                StringBuilder allowed = new StringBuilder();
                if (appendable.contains(key)) {
                    allowed.append("append ");
                }
                if (replaceable.contains(key)) {
                    allowed.append("replace ");
                }
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Invalid override operation for key '" + key
                        + "': '" + op + "'. Allowed values are: " + allowed, location(t.getValueNode()), item.kind,
                        item.name);
            }
        }
        if (legacyAppend && (!append.isEmpty() || !replace.isEmpty())) {
            throw item.error(ERROR_OVERRIDE_APPEND);
        }
        return new Overrides(legacyAppend, append, replace);
    }

    private List<ExceptionInfo> exceptions(Item item, boolean append) throws RuleLoadException {
        List<ExceptionInfo> out = new ArrayList<>();
        Node exs = item.get("exceptions");
        if (exs == null || isNull(exs)) {
            return out;
        }
        if (!(exs instanceof SequenceNode seq)) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Rule exceptions must be a sequence",
                    location(exs), "rule", item.name);
        }
        for (Node exNode : seq.getValue()) {
            if (!(exNode instanceof MappingNode exMap)) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Rule exception must be a mapping",
                        location(exNode), "exception", null);
            }
            Item ex = new Item(exMap);
            ex.kind = "exception";
            String exName = ex.string("name", false);
            ex.name = exName;
            for (ExceptionInfo prev : out) {
                if (prev.name.equals(exName)) {
                    throw ex.error("Exceptions names in the same object must be unique");
                }
            }
            ExceptionInfo info = new ExceptionInfo(exName, ex.location);
            info.fields = entry(ex, "fields", append);
            info.comps = entry(ex, "comps", true);
            Node values = ex.get("values");
            if (values != null) {
                if (!(values instanceof SequenceNode valueSeq)) {
                    throw ex.error("Rule exception values must be a sequence");
                }
                for (Node v : valueSeq.getValue()) {
                    info.values.add(entry(ex, v));
                }
            } else if (append) {
                messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_APPEND_NO_VALUES,
                        "Overriding/appending exception with no values", ex.location, "exception", exName, null));
            }
            out.add(info);
        }
        return out;
    }

    private Entry entry(Item ex, String key, boolean optional) throws RuleLoadException {
        Node n = ex.get(key);
        if (n == null) {
            if (optional) {
                return null;
            }
            throw ex.error("Item has no mapping for key '" + key + "'");
        }
        return entry(ex, n);
    }

    private Entry entry(Item ex, Node n) throws RuleLoadException {
        if (n instanceof ScalarNode s && !isNull(s)) {
            if (s.getValue().isEmpty()) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Value must be non-empty", location(n),
                        "exception", ex.name);
            }
            return Entry.of(s.getValue());
        }
        if (n instanceof SequenceNode seq) {
            List<Entry> items = new ArrayList<>();
            for (Node k : seq.getValue()) {
                items.add(entry(ex, k));
            }
            return new Entry(null, items);
        }
        throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Expected a string or a sequence", location(n),
                "exception", ex.name);
    }

    private void warn(LoadCode code, String message, Item item) {
        messages.add(new LoadMessage(LoadMessage.Severity.WARNING, code, message, item.location, item.kind, item.name, null));
    }

    private static LoadMessage error(LoadCode code, String message, Location location, String kind, String name) {
        return new LoadMessage(LoadMessage.Severity.ERROR, code, message, location, kind, name, null);
    }

    private static String javaRegex(String posix) {
        return posix.replace("[:space:]", "\\s");
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    Location location(Node n) {
        return n.getStartMark().map(this::location).orElse(new Location(file, 0, 0));
    }

    private Location location(Mark m) {
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** One YAML mapping being read, with the kind and name used in its messages. */
    private final class Item {
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        final Location location;
        String kind = "item";
        String name;

        Item(MappingNode node) {
            for (NodeTuple t : node.getValue()) {
                String key = scalar(t.getKeyNode());
                if (key != null) {
                    entries.put(key, t);
                }
            }
            this.location = location(node);
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        Node get(String key) {
            NodeTuple t = entries.get(key);
            return t == null ? null : t.getValueNode();
        }

        Location keyLocation(String key) {
            NodeTuple t = entries.get(key);
            return t == null ? location : location(t.getKeyNode());
        }

        Location valueLocation(String key) {
            Node n = get(key);
            return n == null ? location : location(n);
        }

        RuleLoadException error(String message) {
            return new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, message, location, kind, name);
        }

        /** Falco's {@code decode_val}: a non-empty scalar; null when optional and absent. */
        String string(String key, boolean optional) throws RuleLoadException {
            Node n = get(key);
            if (n == null) {
                if (optional) {
                    return null;
                }
                throw error("Item has no mapping for key '" + key + "'");
            }
            if (isNull(n)) {
                throw error("Mapping for key '" + key + "' is empty");
            }
            if (!(n instanceof ScalarNode s)) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Value is not a scalar value", location(n),
                        kind, name);
            }
            if (s.getValue().isEmpty()) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Value must be non-empty", location(n),
                        kind, name);
            }
            return s.getValue();
        }

        boolean bool(String key) throws RuleLoadException {
            return has(key) && bool(key, false);
        }

        /** A YAML boolean as yaml-cpp decodes it: true/false, yes/no, on/off, y/n in any case. */
        boolean bool(String key, boolean optional) throws RuleLoadException {
            String v = string(key, optional);
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                case "false", "no", "off", "n" -> false;
                default -> throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Can't decode YAML scalar value",
                        valueLocation(key), kind, name);
            };
        }

        /** Falco's {@code decode_seq}: a sequence of scalars. */
        List<String> strings(String key, boolean optional) throws RuleLoadException {
            Node n = get(key);
            if (n == null) {
                if (optional) {
                    return List.of();
                }
                throw error("Item has no mapping for key '" + key + "'");
            }
            if (!(n instanceof SequenceNode seq)) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "Value is not a sequence", location(n), kind,
                        name);
            }
            List<String> out = new ArrayList<>();
            for (Node v : seq.getValue()) {
                if (!(v instanceof ScalarNode s) || isNull(v)) {
                    throw new RuleLoadException(LoadCode.LOAD_ERR_YAML_VALIDATE, "sequence value is not scalar",
                            location(v), kind, name);
                }
                out.add(s.getValue());
            }
            return out;
        }
    }
}
