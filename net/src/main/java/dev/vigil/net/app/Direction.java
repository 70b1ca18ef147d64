package dev.vigil.net.app;

/** Which side of a connection sent some bytes: the originator or the responder. */
public enum Direction {
    ORIG,
    RESP;

    public Direction opposite() {
        return this == ORIG ? RESP : ORIG;
    }
}
