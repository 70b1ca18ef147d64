package dev.vigil.detect.baseline;

/** A policy file that cannot be read: its message names the file, the place in it and what is expected. */
public final class PolicyFileException extends RuntimeException {

    public PolicyFileException(String message) {
        super(message);
    }
}
