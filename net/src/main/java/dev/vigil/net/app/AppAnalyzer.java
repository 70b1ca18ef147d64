package dev.vigil.net.app;

import java.lang.foreign.MemorySegment;

/**
 * Parses the application layer of one connection (TCP) or one UDP flow. The flow engine feeds it
 * each direction's bytes in order, after reassembly; UDP datagrams arrive one per call.
 *
 * <p>Lifetime: {@code bytes} is valid only during the call; an analyzer that must keep data copies
 * it into its own bounded buffer. Analyzers never throw: malformed input is reported through
 * {@link AppContext#anomaly} and the analyzer stops or resynchronizes. One instance serves one
 * connection, from one thread.
 */
public interface AppAnalyzer {

    /** In-order payload of one direction; {@code tsMicros} is the capture time of the packet that completed it. */
    void data(Direction direction, MemorySegment bytes, long offset, int length, long tsMicros);

    /** {@code length} bytes of {@code direction} were never seen (capture loss); counted as {@code missed_bytes}. */
    void gap(Direction direction, long length);

    /** The connection is over (FIN/RST, timeout or eviction); flush pending transactions as records. */
    void end(long tsMicros);
}
