package dev.vigil.agent.pods;

/** A pod's network namespace or interfaces could not be read; the message says why and what to do. */
public final class PodNetworkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PodNetworkException(String message) {
        super(message);
    }
}
