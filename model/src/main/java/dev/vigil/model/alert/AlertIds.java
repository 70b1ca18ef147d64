package dev.vigil.model.alert;

import java.security.SecureRandom;

/**
 * Alert ids that are unique and sort by time: 26 characters of Crockford base32, the layout of a
 * ULID (48 bits of milliseconds since the epoch, then 80 bits). The 80 bits start random per
 * generator and are incremented for ids within the same millisecond, so ids of one generator are
 * strictly increasing even when many alerts share a millisecond or the clock steps back; two
 * generators (two nodes) collide only if their random parts meet, 1 in 2^80. Thread-safe.
 */
public final class AlertIds {

    /** Characters of an id. */
    public static final int LENGTH = 26;

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long LOW_64 = -1L;
    private static final long HIGH_16_MASK = 0xffffL;

    private long lastMillis = Long.MIN_VALUE;
    private long randomHigh;
    private long randomLow;

    private final SecureRandom random;

    public AlertIds() {
        this(new SecureRandom());
    }

    AlertIds(SecureRandom random) {
        this.random = random;
    }

    /** The next id for an alert at {@code epochNanos}. */
    public synchronized String next(long epochNanos) {
        long millis = Math.floorDiv(epochNanos, 1_000_000L);
        if (millis > lastMillis) {
            lastMillis = millis;
            randomHigh = random.nextLong() & HIGH_16_MASK;
            randomLow = random.nextLong();
        } else {
            randomLow++;
            if (randomLow == 0) {
                randomHigh = (randomHigh + 1) & HIGH_16_MASK;
                if (randomHigh == 0) {
                    lastMillis++;
                }
            }
        }
        return encode(lastMillis, randomHigh, randomLow);
    }

    static String encode(long millis, long high16, long low64) {
        char[] out = new char[LENGTH];
        // 128 bits: 48 time, 16 + 64 random; 26 base32 digits carry 130 bits, the top two are zero.
        long hi = (millis & 0xffff_ffff_ffffL) << 16 | (high16 & HIGH_16_MASK);
        long lo = low64 & LOW_64;
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo = lo >>> 5 | (hi & 31) << 59;
            hi >>>= 5;
        }
        return new String(out);
    }
}
