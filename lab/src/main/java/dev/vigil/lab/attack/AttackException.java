package dev.vigil.lab.attack;

/** A scenario could not be performed: a step failed or its effect was not observed. The message says which and why. */
public final class AttackException extends RuntimeException {

    public AttackException(String message) {
        super(message);
    }

    public AttackException(String message, Throwable cause) {
        super(message, cause);
    }
}
