package dev.vigil.lab;

/** The lab could not do what was asked; the message says why and what to do. */
public final class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
