package dev.vigil.agent;

import dev.vigil.model.host.SensorStats;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.util.List;
import java.util.Locale;

/**
 * The agent's counters at one moment: what each sensor delivered, what every queue took and dropped,
 * what detection raised and wrote, what protect mode did, how workloads stand, and the process's own
 * CPU time and resident memory. Written periodically (and at shutdown) as an {@code agent_stats}
 * record and as a line on stderr ({@link #line}), with rates against the previous snapshot.
 *
 * @param cpuSeconds     CPU time the agent's process used so far (user + system)
 * @param rssBytes       the process's resident set now
 * @param pods           pod networks followed
 * @param interfaces     interfaces captured
 * @param packets        frames the network pipelines processed
 * @param kernelDrops    frames the kernel dropped before capture (all interfaces, also stopped ones)
 * @param netRecords     network records detection processed
 * @param hostEvents     host events detection processed
 * @param host           the host sensors' own counters (losses), or null before the first
 * @param queues         every agent queue
 * @param alertsRaised   alerts detection raised (before folding)
 * @param alertsWritten  alerts written (first of a kind and fold summaries)
 * @param decisions      protect decisions taken
 * @param enforced       protect actions done
 * @param refused        protect actions refused by a confinement check
 * @param enforceFailed  protect actions that failed
 * @param learning       workloads learning
 * @param monitoring     workloads in monitor mode
 * @param protecting     workloads in protect mode
 */
public record AgentStats(long timeNanos, double uptimeSeconds, double cpuSeconds, long rssBytes, int pods, int interfaces,
                         long packets, long kernelDrops, long netRecords, long hostEvents, SensorStats host,
                         List<Queue> queues, long alertsRaised, long alertsWritten, long decisions, long enforced,
                         long refused, long enforceFailed, int learning, int monitoring, int protecting)
        implements LogRecord {

    /** One queue's counters. */
    public record Queue(String name, int capacity, int depth, long offered, long dropped, long failures) {
    }

    public AgentStats {
        queues = List.copyOf(queues);
    }

    /** Items every queue dropped, plus the host sensors' own drops and losses. */
    public long lost() {
        long n = kernelDrops;
        for (Queue q : queues) {
            n += q.dropped();
        }
        if (host != null) {
            n += host.dropped() + host.procLost() + host.syscallLost() + host.fileOverflows();
        }
        return n;
    }

    @Override
    public String log() {
        return "agent_stats";
    }

    @Override
    public double ts() {
        return timeNanos / 1e9;
    }

    @Override
    public void writeTo(FieldSink sink) {
        sink.decimal("uptime", uptimeSeconds)
                .decimal("cpu_seconds", cpuSeconds)
                .number("rss_bytes", rssBytes)
                .number("pods", pods)
                .number("interfaces", interfaces)
                .number("net.packets", packets)
                .number("net.kernel_dropped", kernelDrops)
                .number("net.records", netRecords)
                .number("host.events", hostEvents);
        if (host != null) {
            sink.number("host.proc_lost", host.procLost())
                    .number("host.syscall_lost", host.syscallLost())
                    .number("host.file_overflows", host.fileOverflows())
                    .number("host.dropped", host.dropped());
        }
        for (Queue q : queues) {
            sink.number("queue." + q.name() + ".offered", q.offered())
                    .number("queue." + q.name() + ".dropped", q.dropped())
                    .number("queue." + q.name() + ".depth", q.depth());
        }
        sink.number("alerts.raised", alertsRaised)
                .number("alerts.written", alertsWritten)
                .number("protect.decisions", decisions)
                .number("protect.done", enforced)
                .number("protect.refused", refused)
                .number("protect.failed", enforceFailed)
                .number("workloads.learn", learning)
                .number("workloads.monitor", monitoring)
                .number("workloads.protect", protecting);
    }

    /** One line for stderr, with rates since {@code previous} (null: since start). */
    public String line(AgentStats previous) {
        double span = previous == null ? uptimeSeconds : Math.max(1e-3, uptimeSeconds - previous.uptimeSeconds);
        double cpu = cpuSeconds - (previous == null ? 0 : previous.cpuSeconds);
        StringBuilder b = new StringBuilder(256);
        b.append(String.format(Locale.ROOT, "pods %d (%d captured) | net %,.0f pkt/s %,.1f rec/s (kernel drops %,d) | host %,.1f ev/s",
                pods, interfaces, rate(packets, previous == null ? 0 : previous.packets, span),
                rate(netRecords, previous == null ? 0 : previous.netRecords, span), kernelDrops,
                rate(hostEvents, previous == null ? 0 : previous.hostEvents, span)));
        if (host != null) {
            b.append(String.format(Locale.ROOT, " (lost %,d)", host.procLost() + host.syscallLost() + host.fileOverflows()
                    + host.dropped()));
        }
        b.append(" | queue drops:");
        for (Queue q : queues) {
            b.append(' ').append(q.name()).append(' ').append(String.format(Locale.ROOT, "%,d", q.dropped()));
        }
        b.append(String.format(Locale.ROOT, " | alerts %,d written of %,d raised | protect %,d done %,d refused %,d failed"
                        + " | workloads %d learn %d monitor %d protect | cpu %.1f%% rss %,d MiB",
                alertsWritten, alertsRaised, enforced, refused, enforceFailed, learning, monitoring, protecting,
                100 * cpu / span, rssBytes >> 20));
        return b.toString();
    }

    private static double rate(long now, long before, double seconds) {
        return (now - before) / seconds;
    }
}
