package dev.vigil.model.host;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;

/**
 * The loss and error counters of the host sensors at one moment, written periodically and at
 * shutdown as a {@code host_stats} record so that gaps in the event stream are visible.
 *
 * @param timeNanos         when the counters were read, epoch nanoseconds
 * @param procEvents        proc connector events received
 * @param procLost          times the proc connector socket overflowed (ENOBUFS): events were lost
 * @param procResyncs       rescans of /proc made after a loss
 * @param procMalformed     proc connector messages that could not be decoded
 * @param syscallEvents     syscall trace lines received
 * @param syscallLost       trace records the kernel overwrote before they were read (ftrace overrun)
 * @param syscallMalformed  trace lines that could not be parsed
 * @param fileEvents        fanotify events received
 * @param fileOverflows     fanotify queue overflows (events lost)
 * @param dropped           events dropped because the consumer's queue was full
 * @param procUnreadable    execs whose process ended before /proc could be read (reported with what was known)
 * @param syscallUnresolved syscalls whose string arguments could not be read (the process had ended)
 * @param syscallFiltered   syscalls decided uninteresting in user space (non-inet connect/dup, link to a
 *                          non-sensitive path)
 * @param failures          events a sensor could not describe because of an unexpected error (dropped)
 */
public record SensorStats(
        long timeNanos,
        long procEvents,
        long procLost,
        long procResyncs,
        long procMalformed,
        long syscallEvents,
        long syscallLost,
        long syscallMalformed,
        long fileEvents,
        long fileOverflows,
        long dropped,
        long procUnreadable,
        long syscallUnresolved,
        long syscallFiltered,
        long failures) implements LogRecord {

    @Override
    public String log() {
        return "host_stats";
    }

    @Override
    public double ts() {
        return timeNanos / 1e9;
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.number("proc.events", procEvents)
                .number("proc.lost", procLost)
                .number("proc.resyncs", procResyncs)
                .number("proc.malformed", procMalformed)
                .number("syscall.events", syscallEvents)
                .number("syscall.lost", syscallLost)
                .number("syscall.malformed", syscallMalformed)
                .number("file.events", fileEvents)
                .number("file.overflows", fileOverflows)
                .number("dropped", dropped)
                .number("proc.unreadable", procUnreadable)
                .number("syscall.unresolved", syscallUnresolved)
                .number("syscall.filtered", syscallFiltered)
                .number("failures", failures);
    }
}
