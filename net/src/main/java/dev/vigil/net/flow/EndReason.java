package dev.vigil.net.flow;

/** Why a flow left the {@link FlowTable}. */
public enum EndReason {
    /** TCP close (both FINs) or reset, after the linger time. */
    CLOSED,
    /** A TCP SYN went unanswered for the attempt timeout. */
    ATTEMPT,
    /** No packet for the idle timeout. */
    IDLE,
    /** Open longer than the active timeout; later packets start a new flow. */
    ACTIVE,
    /** The table was full; the least recently active flow made room. */
    EVICTED,
    /** A new SYN reused the 5-tuple of a finished connection. */
    REUSED,
    /** End of input or shutdown. */
    FLUSH
}
