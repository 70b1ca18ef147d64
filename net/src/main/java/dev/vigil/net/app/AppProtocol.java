package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;

/**
 * One application protocol Vigil can identify by content and parse. Protocol detection offers the
 * first bytes of each direction to every protocol; ports are hints only, so a connection that
 * merely uses a well-known port is never labelled with that port's protocol.
 */
public interface AppProtocol {

    /** Verdict of {@link #probe} on the bytes seen so far. */
    enum Verdict {
        /** The bytes are this protocol. */
        MATCH,
        /** The bytes cannot be this protocol. */
        NO_MATCH,
        /** Not enough bytes to decide; ask again when more arrive. */
        NEED_MORE
    }

    /** The name used in {@code conn.service} (Zeek's names: {@code http}, {@code ssl}, {@code dns} …). */
    String name();

    /** True for protocols carried over TCP, false for UDP. */
    boolean tcp();

    /**
     * Judges the first bytes a direction sent ({@code offset}, {@code length} cover everything seen so
     * far in that direction, from its start). {@code responderPort} is a hint for tie-breaking only.
     * Must not allocate or keep the segment.
     */
    Verdict probe(Direction direction, MemorySegment bytes, long offset, int length, int responderPort);

    /** A fresh analyzer for a connection this protocol matched. */
    AppAnalyzer create(AppContext context);
}
