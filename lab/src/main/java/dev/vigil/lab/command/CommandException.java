package dev.vigil.lab.command;

/** A host program the lab needs failed; the message names the command and what it printed. */
public final class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
