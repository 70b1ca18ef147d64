package dev.vigil.detect.rules.expr;

/**
 * A condition that cannot be parsed or compiled, with the position in the condition text where the
 * problem was found. The message uses Falco's wording where Falco reports the same problem.
 */
public final class ConditionException extends Exception {

    private final Pos pos;

    public ConditionException(String message, Pos pos) {
        super(message);
        this.pos = pos;
    }

    /** Where in the condition the problem was found. */
    public Pos pos() {
        return pos;
    }
}
