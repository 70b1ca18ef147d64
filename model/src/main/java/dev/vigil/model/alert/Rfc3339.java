package dev.vigil.model.alert;

/**
 * RFC 3339 timestamps in UTC with exactly nine fraction digits ({@code 2026-11-26T16:53:44.123456789Z}),
 * the form Falco writes in {@code time}; {@link java.time.Instant#toString()} drops trailing zeros.
 */
public final class Rfc3339 {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Rfc3339() {
    }

    /** Formats epoch nanoseconds. */
    public static String format(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(epochNanos, NANOS_PER_SECOND);
        long days = Math.floorDiv(seconds, 86_400L);
        long secOfDay = Math.floorMod(seconds, 86_400L);
        java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
        StringBuilder b = new StringBuilder(30);
        pad(b, date.getYear(), 4).append('-');
        pad(b, date.getMonthValue(), 2).append('-');
        pad(b, date.getDayOfMonth(), 2).append('T');
        pad(b, secOfDay / 3600, 2).append(':');
        pad(b, secOfDay / 60 % 60, 2).append(':');
        pad(b, secOfDay % 60, 2).append('.');
        pad(b, nanos, 9).append('Z');
        return b.toString();
    }

    /** Parses the form {@link #format} writes, or any RFC 3339 time {@link java.time.Instant#parse} accepts. */
    public static long parse(String text) {
        java.time.Instant i = java.time.OffsetDateTime.parse(text).toInstant();
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), NANOS_PER_SECOND), i.getNano());
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
