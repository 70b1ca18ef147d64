package dev.vigil.cli.demo;

import dev.vigil.cli.net.AnalyzerDiscovery;
import dev.vigil.lab.LabStatus;
import dev.vigil.model.net.ConnRecord;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.Pipeline;
import dev.vigil.net.analysis.PipelineConfig;
import dev.vigil.net.capture.CaptureOptions;
import dev.vigil.net.capture.CaptureSession;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The demo's live count of the lab's traffic by protocol: one capture per pod (the host end of its
 * veth), the full network pipeline behind each, and a tally of finished connections by their
 * {@code conn.service} (what content inspection identified, not the port). A connection between two
 * pods is seen on both veths; it is counted once, on the originator's.
 */
final class TrafficCount implements AutoCloseable {

    private record Tally(LongAdder connections, LongAdder bytes, LongAdder encrypted) {
        Tally() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private final Map<String, Tally> byProtocol = new ConcurrentHashMap<>();
    private final CaptureSession session;

    TrafficCount(LabStatus lab, Consumer<String> log) {
        Map<String, String> podIpByVeth = new TreeMap<>();
        for (LabStatus.Pod pod : lab.pods()) {
            podIpByVeth.put(pod.hostVeth(), pod.ip());
        }
        this.session = new CaptureSession(CaptureOptions.defaults(),
                veth -> new Pipeline(PipelineConfig.defaults(), AnalyzerDiscovery.factory(),
                        record -> count(podIpByVeth.get(veth), record)),
                null, log);
        podIpByVeth.keySet().forEach(session::start);
    }

    private void count(String podIp, LogRecord record) {
        if (record instanceof ConnRecord conn && conn.id().origH().equals(podIp)) {
            String protocol = conn.service() == null || conn.service().isEmpty()
                    ? "unidentified " + conn.id().proto() : conn.service();
            Tally t = byProtocol.computeIfAbsent(protocol, p -> new Tally());
            t.connections().increment();
            t.bytes().add(conn.origBytes() + conn.respBytes());
            if (Boolean.TRUE.equals(conn.encrypted())) {
                t.encrypted().increment();
            }
        }
    }

    /** Prints the counts so far, most connections first. */
    void print(PrintWriter out, double seconds) {
        Map<String, Tally> snapshot = new TreeMap<>(byProtocol);
        out.printf("finished connections in %.0f s, by protocol identified from content:%n", seconds);
        out.printf("  %-22s %12s %14s %10s%n", "PROTOCOL", "CONNECTIONS", "PAYLOAD BYTES", "ENCRYPTED");
        snapshot.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().connections().sum(), a.getValue().connections().sum()))
                .forEach(e -> out.printf("  %-22s %,12d %,14d %10s%n", e.getKey(), e.getValue().connections().sum(),
                        e.getValue().bytes().sum(), e.getValue().encrypted().sum() > 0 ? e.getValue().encrypted().sum() : "-"));
        if (snapshot.isEmpty()) {
            out.println("  (no connection has finished yet)");
        }
        out.flush();
    }

    /** Stops capturing; open connections are written out (and counted) as the pipelines finish. */
    @Override
    public void close() {
        session.close();
    }
}
