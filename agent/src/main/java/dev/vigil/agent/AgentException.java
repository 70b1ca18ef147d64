package dev.vigil.agent;

/** The agent cannot start or run as configured; the message says what to fix. */
public final class AgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }
}
