package dev.vigil.posture.waiver;

/** A mistake in a waiver file; the message starts with {@code file:line} and says what to change. */
public final class WaiverFileException extends IllegalArgumentException {

    public WaiverFileException(String message) {
        super(message);
    }
}
