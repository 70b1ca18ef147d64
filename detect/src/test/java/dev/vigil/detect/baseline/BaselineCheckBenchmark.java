package dev.vigil.detect.baseline;

import dev.vigil.model.identity.WorkloadRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checking known facts against baselines, the per-event common case: an exec with a realistic
 * command line and a connection to a known peer, cycling over {@code workloads} baselines that each
 * learned 50 executables and 100 peers. Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaselineCheckBenchmark {

    private static final long T = 1_764_000_000_000_000_000L;

    @Param({"10", "5000"})
    public int workloads;

    private Baselines baselines;
    private WorkloadRef[] refs;
    private List<String> args;
    private int next;

    @Setup
    public void setup() {
        baselines = new Baselines(BaselineConfig.defaults().withLearning(false, Duration.ZERO, Duration.ZERO));
        refs = new WorkloadRef[workloads];
        args = List.of("java", "-Xmx512m", "-Dconfig=/etc/app/config-7f3a9c.yaml", "-jar", "/app/service.jar",
                "--server.port=8080", "--instance-id=550e8400-e29b-41d4-a716-446655440000");
        for (int w = 0; w < workloads; w++) {
            refs[w] = new WorkloadRef("ns" + w % 50, "Deployment", "app" + w);
            for (int e = 0; e < 50; e++) {
                List<String> a = new ArrayList<>(args);
                a.set(1, "-Xmx" + e + "m");
                baselines.exec(refs[w], "main", e == 0 ? "/usr/bin/java" : "/usr/bin/tool" + e, e == 0 ? "java" : "tool" + e,
                        e == 0 ? args : a, T);
            }
            for (int p = 0; p < 100; p++) {
                baselines.peer(refs[w], PeerKind.WORKLOAD, "ns" + p % 7, "svc" + p, 8000 + p, "tcp", "http", T);
            }
            baselines.setMode(refs[w], Mode.MONITOR, T);
        }
    }

    @Benchmark
    public Verdict knownExec() {
        WorkloadRef w = refs[next++ % workloads];
        return baselines.exec(w, "main", "/usr/bin/java", "java", args, T);
    }

    @Benchmark
    public Verdict knownPeer() {
        WorkloadRef w = refs[next++ % workloads];
        return baselines.peer(w, PeerKind.WORKLOAD, "ns3", "svc42", 8042, "tcp", "http", T);
    }
}
