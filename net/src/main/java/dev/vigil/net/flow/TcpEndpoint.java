package dev.vigil.net.flow;

/**
 * One side of a TCP connection as Zeek's {@code TCP_Endpoint} tracks it: its state, the sequence space
 * it used (unwrapped to 64 bits, so sizes survive wrap-around), the highest ack its peer sent, and the
 * scaled history counters for retransmissions, zero windows and gaps.
 */
final class TcpEndpoint {

    static final int INACTIVE = 0;
    static final int SYN_SENT = 1;
    static final int SYN_ACK_SENT = 2;
    static final int PARTIAL = 3;
    static final int ESTABLISHED = 4;
    static final int CLOSED = 5;
    static final int RESET = 6;

    /** Zeek's {@code TOO_LARGE_SEQ_DELTA}: a SYN or RST jumping this far is not trusted. */
    static final int TOO_LARGE_SEQ_DELTA = 1_048_576;

    int state = INACTIVE;
    int prevState = INACTIVE;
    /** Unwrapped sequence numbers: {@code start} of the sequence space, one past the {@code last} byte, highest peer {@code ack}. */
    long start;
    long last;
    long ack;
    boolean seqInitialized;
    /** True once the peer acknowledged this side's data with a trusted (non-RST) ACK. */
    boolean acked;
    int finCount;
    boolean didClose;
    long histLastSyn = Long.MIN_VALUE;
    long histLastFin = Long.MIN_VALUE;
    long histLastRst = Long.MIN_VALUE;
    int rxmtCount;
    int rxmtThreshold = 1;
    int zeroWindowCount;
    int zeroWindowThreshold = 1;
    int gapCount;
    int gapThreshold = 1;

    void setState(int next) {
        if (next != state) {
            prevState = state;
            state = next;
        }
    }

    /** Unwraps a 32-bit sequence number to the 64-bit space nearest to {@link #last}. */
    long unwrap(int seq) {
        return last + (int) (seq - (int) last);
    }

    void initSeq(long startSeq, long lastSeq) {
        start = startSeq;
        ack = startSeq;
        acked = false;
        last = lastSeq;
        seqInitialized = true;
    }

    /** Zeek's {@code TCP_Endpoint::Size()}: payload bytes from sequence numbers, minus the SYN and FIN octets. */
    long size(TcpEndpoint peer) {
        if (prevState == SYN_SENT && state == RESET && peer.state == INACTIVE && ack <= start + 1) {
            return 0;
        }
        if (!seqInitialized) {
            return 0;
        }
        long size = Math.max(last, ack) - start;
        if (size > 0) {
            size--;
        }
        if (finCount > 0 && size > 0) {
            size--;
        }
        return Math.max(0, size);
    }

    /** True for the states Zeek's {@code conn_state} treats as inactive. */
    boolean inactive() {
        return state == INACTIVE || state == PARTIAL;
    }
}
