package dev.vigil.net.analysis;

/**
 * A capture's monotone clock and the two schedules that run on it: flow expiry every
 * {@link #EXPIRY_INTERVAL_MICROS} and the scan detector's sweep every {@link #SCAN_SWEEP_MICROS}. One
 * clock sees every frame of a capture in order, so a capture spread over several flow tables expires
 * its flows at the same frames as one table would.
 *
 * <p>The clock is the highest packet time seen; small steps backwards do not move it, and a jump
 * backwards beyond {@link Pipeline#BACKWARD_JUMP_MICROS} rebases it so time keeps flowing.
 */
final class FrameClock {

    /** Capture time between two expiry runs of the flow tables. */
    static final long EXPIRY_INTERVAL_MICROS = 100_000;
    /** Capture time between two sweeps of idle scan sources. */
    static final long SCAN_SWEEP_MICROS = 60_000_000;

    private long mono = Long.MIN_VALUE;
    private long offset;
    private long nextExpiry;
    private long nextSweep;

    /** Moves the clock for a packet stamped {@code ts}; returns the monotone time. */
    long advance(long ts) {
        long adjusted = ts + offset;
        if (mono != Long.MIN_VALUE && adjusted < mono - Pipeline.BACKWARD_JUMP_MICROS) {
            offset = mono - ts;
            adjusted = mono;
        }
        if (adjusted > mono) {
            mono = adjusted;
        }
        return mono;
    }

    /** The monotone time now. */
    long mono() {
        return mono;
    }

    /** True when the flow tables are due to expire flows at this frame (then not again for an interval). */
    boolean expiryDue() {
        if (mono < nextExpiry) {
            return false;
        }
        nextExpiry = mono + EXPIRY_INTERVAL_MICROS;
        return true;
    }

    /** True when idle scan sources are due to be swept at this frame. */
    boolean sweepDue() {
        if (mono < nextSweep) {
            return false;
        }
        nextSweep = mono + SCAN_SWEEP_MICROS;
        return true;
    }
}
