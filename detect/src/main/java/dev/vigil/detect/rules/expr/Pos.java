package dev.vigil.detect.rules.expr;

/**
 * A position inside a condition or output string, as Falco's parser counts it: {@code idx} is the
 * 0-based character offset, {@code line} and {@code col} are 1-based (a CR or LF starts a new line).
 */
public record Pos(int idx, int line, int col) {

    /** The start of a string. */
    public static final Pos START = new Pos(0, 1, 1);

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
