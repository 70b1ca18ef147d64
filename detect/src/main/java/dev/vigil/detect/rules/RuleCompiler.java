package dev.vigil.detect.rules;

import dev.vigil.detect.rules.LoadReport.RuleStatus;
import dev.vigil.detect.rules.LoadReport.State;
import dev.vigil.detect.rules.RuleCollector.Entry;
import dev.vigil.detect.rules.RuleCollector.ExceptionInfo;
import dev.vigil.detect.rules.RuleCollector.ListInfo;
import dev.vigil.detect.rules.RuleCollector.MacroInfo;
import dev.vigil.detect.rules.RuleCollector.RuleInfo;
import dev.vigil.detect.rules.expr.ConditionCompiler;
import dev.vigil.detect.rules.expr.ConditionException;
import dev.vigil.detect.rules.expr.ConditionParser;
import dev.vigil.detect.rules.expr.Cond;
import dev.vigil.detect.rules.expr.Expr;
import dev.vigil.detect.rules.expr.ListSubstitution;
import dev.vigil.detect.rules.expr.MacroResolver;
import dev.vigil.detect.rules.fields.FieldSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns collected items into compiled rules, in Falco's order and with its semantics
 * ({@code rule_loader::compiler}): lists are expanded (a list may name lists defined before it),
 * list names in conditions are substituted textually, macros are parsed and checked against the
 * macros visible to them, and each rule's condition, with its exceptions appended as
 * {@code and not (...)}, is parsed, macro-expanded and compiled for its source. Errors stop at
 * list and macro level, as in Falco; rule errors are collected for every rule.
 */
final class RuleCompiler {

    /** Every comparison operator of the condition language. */
    static final Set<String> OPERATORS = Set.of("=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains",
            "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex", "in", "intersects",
            "pmatch", "exists");
    private static final Set<String> LIST_OPERATORS = Set.of("in", "intersects", "pmatch");

    /** Compiled rules per source, and the state of every rule. */
    record Output(Map<String, List<SourceRules.Compiled<?>>> bySource, List<RuleStatus> statuses, List<Rule> rules) {
    }

    private record ExpandedList(String name, List<String> items) {
    }

    private final RuleCollector collector;
    private final Map<String, FieldSource<?>> sources;
    private final List<LoadMessage> messages;
    private final List<ExpandedList> lists = new ArrayList<>();
    private final Set<String> usedLists = new HashSet<>();
    private final Set<String> usedMacros = new HashSet<>();
    private final Map<String, Expr> macros = new LinkedHashMap<>();

    private RuleCompiler(RuleCollector collector, Map<String, FieldSource<?>> sources, List<LoadMessage> messages) {
        this.collector = collector;
        this.sources = sources;
        this.messages = messages;
    }

    static Output compile(RuleCollector collector, Map<String, FieldSource<?>> sources, List<LoadMessage> messages) {
        RuleCompiler c = new RuleCompiler(collector, sources, messages);
        c.compileLists();
        try {
            c.compileMacros();
        } catch (RuleLoadException e) {
            messages.add(e.loadMessage());
            return c.failedAll();
        }
        Output out = c.compileRules();
        c.warnUnused();
        return out;
    }

    private Output failedAll() {
        List<RuleStatus> statuses = new ArrayList<>();
        for (RuleInfo r : collector.rules()) {
            statuses.add(new RuleStatus(r.name, r.source, r.location, r.enabled, State.ERROR, Set.of(), Set.of(), false));
        }
        return new Output(Map.of(), statuses, List.of());
    }

    private void compileLists() {
        for (ListInfo list : collector.lists()) {
            List<String> items = new ArrayList<>();
            for (String item : list.items) {
                ListInfo ref = collector.list(item);
                if (ref != null && ref.index < list.visibility) {
                    usedLists.add(ref.name);
                    items.addAll(ref.items);
                } else {
                    items.add(item);
                }
            }
            lists.add(new ExpandedList(list.name, items));
        }
    }

    private String substituteLists(String condition) {
        String cnd = condition;
        for (ExpandedList l : lists) {
            String next = ListSubstitution.apply(cnd, l.name(), l.items());
            if (!next.equals(cnd)) {
                usedLists.add(l.name());
                cnd = next;
            }
        }
        return cnd;
    }

    private void compileMacros() throws RuleLoadException {
        List<MacroInfo> infos = collector.macros();
        for (MacroInfo m : infos) {
            macros.put(m.name, parse(m.condition, m.conditionLocation, "macro", m.name));
        }
        for (MacroInfo m : infos) {
            Map<String, Expr> visible = new HashMap<>();
            for (MacroInfo other : infos) {
                if (other.index < m.visibility) {
                    visible.put(other.name, macros.get(other.name));
                }
            }
            try {
                MacroResolver.resolve(macros.get(m.name), visible, usedMacros);
            } catch (ConditionException e) {
                throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, e.getMessage(), m.conditionLocation, "macro",
                        m.name, e.pos());
            }
        }
    }

    private Expr parse(String condition, Location location, String kind, String name) throws RuleLoadException {
        String text = substituteLists(condition);
        try {
            return ConditionParser.parse(text);
        } catch (ConditionException e) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_COMPILE_CONDITION, e.getMessage(), location, kind, name, e.pos());
        }
    }

    private Output compileRules() {
        Map<String, List<SourceRules.Compiled<?>>> bySource = new LinkedHashMap<>();
        List<RuleStatus> statuses = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (RuleInfo r : collector.rules()) {
            if (r.unknownSource) {
                statuses.add(new RuleStatus(r.name, r.source, r.location, r.enabled, State.UNKNOWN_SOURCE, Set.of(),
                        Set.of(), false));
                continue;
            }
            try {
                statuses.add(compileRule(r, sources.get(r.source), bySource, rules));
            } catch (RuleLoadException e) {
                messages.add(e.loadMessage());
                statuses.add(new RuleStatus(r.name, r.source, r.location, r.enabled, State.ERROR, Set.of(), Set.of(), false));
            }
        }
        return new Output(bySource, statuses, rules);
    }

    private <C> RuleStatus compileRule(RuleInfo r, FieldSource<C> source, Map<String, List<SourceRules.Compiled<?>>> bySource,
                                       List<Rule> rules) throws RuleLoadException {
        String condition = withExceptions(r);
        OutputFormat<C> output;
        try {
            output = OutputFormat.compile(r.output, source);
        } catch (ConditionException e) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_COMPILE_OUTPUT, e.getMessage(), r.outputLocation, "rule", r.name,
                    e.pos());
        }
        if (!output.missingFields().isEmpty()) {
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.VIGIL_MISSING_OUTPUT_FIELDS,
                    "output fields Vigil does not provide render as <NA>: " + String.join(", ", output.missingFields()),
                    r.outputLocation, "rule", r.name, null));
        }
        Expr ast = parse(condition, r.conditionLocation, "rule", r.name);
        try {
            ast = MacroResolver.resolve(ast, macros, usedMacros);
        } catch (ConditionException e) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_VALIDATE, e.getMessage(), r.conditionLocation, "rule", r.name,
                    e.pos());
        }
        ConditionCompiler.Result<C> compiled;
        try {
            compiled = ConditionCompiler.compile(ast, source);
        } catch (ConditionException e) {
            throw new RuleLoadException(LoadCode.LOAD_ERR_COMPILE_CONDITION, e.getMessage(), r.conditionLocation, "rule",
                    r.name, e.pos());
        }
        if (compiled.cond() == null) {
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.VIGIL_MISSING_FIELDS,
                    "condition uses fields Vigil does not provide (" + String.join(", ", compiled.missingFields())
                            + "); the rule is not evaluated", r.conditionLocation, "rule", r.name, null));
            return new RuleStatus(r.name, r.source, r.location, r.enabled, State.MISSING_FIELDS, compiled.missingFields(),
                    output.missingFields(), false);
        }
        Cond<C> cond = compiled.cond();
        if (r.warnEvttypes && r.source.equals(RuleEngine.SYSCALL_SOURCE) && !cond.specialize(null).isFalse()) {
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_NO_EVTTYPE,
                    "Rule matches too many evt.type values. This has a significant performance penalty.", r.location,
                    "rule", r.name, null));
        }
        boolean fires = source.producedBuckets() == null
                || source.producedBuckets().stream().anyMatch(b -> !cond.specialize(b).isFalse());
        if (!fires) {
            messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.VIGIL_UNPRODUCED_EVENT_TYPES,
                    "the rule can only match event types Vigil's sensors do not produce", r.location, "rule", r.name, null));
        }
        Rule rule = new Rule(r.name, r.description, r.priority, r.source, r.tags, r.output, r.location);
        if (r.enabled) {
            bySource.computeIfAbsent(r.source, k -> new ArrayList<>()).add(new SourceRules.Compiled<>(rule, cond, output));
            rules.add(rule);
        }
        return new RuleStatus(r.name, r.source, r.location, r.enabled, State.EVALUABLE, Set.of(), output.missingFields(), fires);
    }

    /** Falco's {@code build_rule_exception_infos}: the condition with each exception as {@code and not (...)}. */
    private static String withExceptions(RuleInfo r) throws RuleLoadException {
        if (r.exceptions.isEmpty()) {
            return r.condition;
        }
        StringBuilder condition = new StringBuilder("(").append(r.condition).append(')');
        for (ExceptionInfo ex : r.exceptions) {
            StringBuilder icond = new StringBuilder();
            if (!ex.fields.isList()) {
                for (Entry val : ex.values) {
                    if (val.isList()) {
                        throw RuleCollector.invalid(ex, "Expected values array to contain a list of strings");
                    }
                    icond.append(icond.isEmpty() ? "(" + ex.fields.item() + " " + ex.comps.item() + " (" : ", ");
                    icond.append(ListSubstitution.quote(val.item()));
                }
                if (!icond.isEmpty()) {
                    icond.append("))");
                }
            } else {
                icond.append('(');
                for (Entry values : ex.values) {
                    List<Entry> items = values.isList() ? values.items() : List.of();
                    if (ex.fields.items().size() != items.size()) {
                        throw RuleCollector.invalid(ex, "Fields and values lists must have equal length");
                    }
                    icond.append(icond.length() == 1 ? "" : " or ").append('(');
                    for (int k = 0; k < ex.fields.items().size(); k++) {
                        String comp = ex.comps.items().get(k).item();
                        Entry value = items.get(k);
                        String istr;
                        if (value.isList()) {
                            StringBuilder b = new StringBuilder("(");
                            for (Entry v : value.items()) {
                                b.append(b.length() == 1 ? "" : ", ").append(ListSubstitution.quote(v.item()));
                            }
                            istr = b.append(')').toString();
                        } else if (LIST_OPERATORS.contains(comp)) {
                            istr = value.item().startsWith("(") ? value.item() : "(" + value.item() + ")";
                        } else {
                            istr = ListSubstitution.quote(value.item());
                        }
                        icond.append(k == 0 ? "" : " and ").append(' ').append(ex.fields.items().get(k).item())
                                .append(' ').append(comp).append(' ').append(istr);
                    }
                    icond.append(')');
                }
                icond.append(')');
                if (icond.toString().equals("()")) {
                    icond.setLength(0);
                }
            }
            if (!icond.isEmpty()) {
                condition.append(" and not ").append(icond);
            }
        }
        return condition.toString();
    }

    private void warnUnused() {
        for (MacroInfo m : collector.macros()) {
            if (!usedMacros.contains(m.name)) {
                messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_UNUSED_MACRO,
                        "Macro not referred to by any other rule/macro", m.location, "macro", m.name, null));
            }
        }
        for (ListInfo l : collector.lists()) {
            if (!usedLists.contains(l.name)) {
                messages.add(new LoadMessage(LoadMessage.Severity.WARNING, LoadCode.LOAD_UNUSED_LIST,
                        "List not referred to by any other rule/macro", l.location, "list", l.name, null));
            }
        }
    }
}
