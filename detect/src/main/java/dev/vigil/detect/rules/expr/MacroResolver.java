package dev.vigil.detect.rules.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces macro references (bare identifiers) in a condition by the macros' conditions,
 * recursively, as Falco's {@code filter_macro_resolver}: an unknown name is reported as
 * {@code Undefined macro 'x' used in filter.} and a macro that reaches itself as
 * {@code reference loop in macro 'x'}, each at the reference's position.
 */
public final class MacroResolver {

    private final Map<String, Expr> macros;
    private final Set<String> used;
    private final List<String> path = new ArrayList<>();

    private MacroResolver(Map<String, Expr> macros, Set<String> used) {
        this.macros = macros;
        this.used = used;
    }

    /**
     * {@code expr} with every reference to a macro of {@code macros} replaced; the names of the
     * macros used are added to {@code used}.
     */
    public static Expr resolve(Expr expr, Map<String, Expr> macros, Set<String> used) throws ConditionException {
        return new MacroResolver(macros, used).visit(expr);
    }

    private Expr visit(Expr e) throws ConditionException {
        return switch (e) {
            case Expr.And a -> new Expr.And(visitAll(a.children()), a.pos());
            case Expr.Or o -> new Expr.Or(visitAll(o.children()), o.pos());
            case Expr.Not n -> new Expr.Not(visit(n.child()), n.pos());
            case Expr.Check c -> c;
            case Expr.Identifier id -> {
                Expr macro = macros.get(id.name());
                if (macro == null) {
                    throw new ConditionException("Undefined macro '" + id.name() + "' used in filter.", id.pos());
                }
                if (path.contains(id.name())) {
                    throw new ConditionException("reference loop in macro '" + id.name() + "'", id.pos());
                }
                path.add(id.name());
                Expr resolved = visit(macro);
                path.removeLast();
                used.add(id.name());
                yield resolved;
            }
        };
    }

    private List<Expr> visitAll(List<Expr> children) throws ConditionException {
        List<Expr> out = new ArrayList<>(children.size());
        for (Expr c : children) {
            out.add(visit(c));
        }
        return out;
    }
}
