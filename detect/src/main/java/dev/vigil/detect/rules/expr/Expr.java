package dev.vigil.detect.rules.expr;

import java.util.List;

/**
 * The syntax tree of a condition, as Falco's {@code libsinsp::filter::ast}: boolean nodes, macro
 * references (bare identifiers), and checks of a field against a value, a list, or another field.
 */
public sealed interface Expr {

    /** Where the node starts in the condition text. */
    Pos pos();

    /** {@code a and b and …}. */
    record And(List<Expr> children, Pos pos) implements Expr {
        public And {
            children = List.copyOf(children);
        }
    }

    /** {@code a or b or …}. */
    record Or(List<Expr> children, Pos pos) implements Expr {
        public Or {
            children = List.copyOf(children);
        }
    }

    /** {@code not a}. */
    record Not(Expr child, Pos pos) implements Expr {
    }

    /** A bare identifier: a macro reference, resolved before compilation. */
    record Identifier(String name, Pos pos) implements Expr {
    }

    /**
     * A comparison {@code left op right}; {@code right} is null for the unary {@code exists}.
     *
     * @param op the operator as written: {@code =}, {@code ==}, {@code !=}, {@code <}, {@code <=},
     *           {@code >}, {@code >=}, {@code contains}, {@code icontains}, {@code bcontains},
     *           {@code startswith}, {@code bstartswith}, {@code endswith}, {@code glob},
     *           {@code iglob}, {@code regex}, {@code in}, {@code intersects}, {@code pmatch},
     *           {@code exists}
     */
    record Check(Operand left, String op, Operand right, Pos pos) implements Expr {
    }

    /** One side of a check. */
    sealed interface Operand {
    }

    /**
     * A field, optionally with an argument: {@code proc.aname[2]}, {@code evt.arg.flags} (the dotted
     * form keeps the whole name), {@code k8s.ns.label[app]}.
     */
    record Field(String name, String arg, Pos pos) implements Operand {

        /** The field as written: {@code name} or {@code name[arg]}. */
        public String display() {
            return arg == null ? name : name + "[" + arg + "]";
        }
    }

    /**
     * A transformer applied to a field or to another transformer: {@code tolower}, {@code toupper},
     * {@code b64}, {@code basename}; or {@code val}, which marks a field used as a right-hand value.
     */
    record Transform(String function, Operand arg, Pos pos) implements Operand {
    }

    /** A single literal value (quoted strings already unescaped). */
    record Value(String text, Pos pos) implements Operand {
    }

    /** A parenthesised list of literal values. */
    record ValueList(List<String> values, Pos pos) implements Operand {
        public ValueList {
            values = List.copyOf(values);
        }
    }
}
