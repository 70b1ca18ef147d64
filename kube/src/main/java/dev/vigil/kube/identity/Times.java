package dev.vigil.kube.identity;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Instants as nanoseconds since the epoch, the resolver's time unit. */
final class Times {

    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

    private Times() {
    }

    /** Nanoseconds since the epoch, saturated to the representable range (years 1678–2262). */
    static long nanos(Instant t) {
        long s = t.getEpochSecond();
        if (s >= MAX_SECONDS) {
            return Long.MAX_VALUE - 1;
        }
        if (s <= -MAX_SECONDS) {
            return Long.MIN_VALUE + 1;
        }
        return s * 1_000_000_000L + t.getNano();
    }

    /** An RFC 3339 timestamp as the API server writes it, in nanoseconds; {@code fallback} when absent or malformed. */
    static long parse(String rfc3339, long fallback) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return fallback;
        }
        try {
            return nanos(OffsetDateTime.parse(rfc3339).toInstant());
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
