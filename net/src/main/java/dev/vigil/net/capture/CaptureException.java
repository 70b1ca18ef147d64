package dev.vigil.net.capture;

/** A live capture could not be set up or failed; the message says what to do (install, sudo, interface name). */
public final class CaptureException extends RuntimeException {

    public CaptureException(String message) {
        super(message);
    }
}
