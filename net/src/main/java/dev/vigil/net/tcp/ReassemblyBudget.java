package dev.vigil.net.tcp;

/**
 * The memory all {@link TcpStream}s of one capture source may hold for out-of-order segments, so the
 * total stays bounded whatever the number of connections. A stream that cannot reserve skips the hole
 * as a gap instead of buffering. Single-threaded, like the pipeline that owns it.
 */
public final class ReassemblyBudget {

    /** Default total for out-of-order data of one capture source: 64 MiB. */
    public static final long DEFAULT_BYTES = 64L * 1024 * 1024;

    private final long limit;
    private long used;
    private long refused;

    public ReassemblyBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("reassembly budget must be >= 0, got " + limit);
        }
        this.limit = limit;
    }

    boolean reserve(int bytes) {
        if (used + bytes > limit) {
            refused++;
            return false;
        }
        used += bytes;
        return true;
    }

    void release(int bytes) {
        used -= bytes;
    }

    /** Bytes held now. */
    public long used() {
        return used;
    }

    /** The configured limit. */
    public long limit() {
        return limit;
    }

    /** Reservations refused because the budget was spent. */
    public long refused() {
        return refused;
    }
}
