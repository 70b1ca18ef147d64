package dev.vigil.cli;

/**
 * A failure the user can fix; its message says how. Rendered without a stack trace.
 */
public class UserError extends RuntimeException {

    private final int exitCode;

    public UserError(String message) {
        this(message, Vigil.EXIT_FAILURE);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
