package dev.vigil.detect.detector;

import dev.vigil.detect.baseline.Mode;
import dev.vigil.model.alert.Alert;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.record.LogRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * All network detectors on the benign, learned case: a workload in monitor mode sends its usual mix
 * of records (DNS query and answer, TLS 1.3 handshake, connection records, an API request, a
 * database query). Run with {@code -prof gc}: 0 B/op, i.e. nothing allocated per record.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetworkDetectorsBenchmark {

    private NetworkDetectors detectors;
    private LogRecord[] records;
    private Endpoint[] origs;
    private Endpoint[] resps;
    private int next;
    private final Detections none = new Detections() {
        @Override
        public void alert(Alert alert) {
            throw new IllegalStateException("benign traffic raised " + alert.output());
        }

        @Override
        public void decide(Decision decision) {
            throw new IllegalStateException("benign traffic was blocked: " + decision);
        }
    };

    @Setup
    public void setup() {
        var baselines = Lab.baselines();
        detectors = new NetworkDetectors(NetworkDetectorConfig.defaults(), baselines, new DnsNames(), Lab.alerts());
        records = new LogRecord[] {
                Lab.a(Lab.T0, Lab.WEB_1, "api.github.com", "203.0.113.10"),
                Lab.udp(Lab.T0, Lab.WEB_1, Lab.KUBE_DNS, 53, "dns", 1),
                Lab.ssl(Lab.T0, Lab.WEB_1, Lab.GITHUB, 443, "TLSv13", "api.github.com", true),
                Lab.tcp(Lab.T0, Lab.WEB_1, Lab.GITHUB, 443, "ssl", true),
                Lab.http(Lab.T0, Lab.WEB_2, Lab.WEB_1, "GET", "/api/v1/items/42?sort=name&page=2", null),
                Lab.tcp(Lab.T0, Lab.WEB_2, Lab.WEB_1, 8080, "http", false),
                Lab.pg(Lab.T0, Lab.WEB_1, Lab.DB_0, "simple_query", "SELECT id, name FROM items WHERE id = 42"),
                Lab.tcp(Lab.T0, Lab.WEB_1, Lab.DB_0, 5432, "postgresql", false)};
        origs = new Endpoint[] {Lab.WEB_1, Lab.WEB_1, Lab.WEB_1, Lab.WEB_1, Lab.WEB_2, Lab.WEB_2, Lab.WEB_1, Lab.WEB_1};
        resps = new Endpoint[] {Lab.KUBE_DNS, Lab.KUBE_DNS, Lab.GITHUB, Lab.GITHUB, Lab.WEB_1, Lab.WEB_1, Lab.DB_0, Lab.DB_0};
        Lab.Collected learning = new Lab.Collected();
        for (int i = 0; i < records.length; i++) {
            detectors.record(records[i], origs[i], resps[i], null, learning);
        }
        baselines.setMode(Lab.WEB, Mode.MONITOR, (long) (Lab.T0 * 1e9));
        baselines.setMode(Lab.DB, Mode.MONITOR, (long) (Lab.T0 * 1e9));
    }

    @Benchmark
    public int record() {
        int i = next++ & 7;
        detectors.record(records[i], origs[i], resps[i], null, none);
        return i;
    }
}
