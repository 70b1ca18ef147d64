package dev.vigil.posture.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading 2,000 pods as one kubectl-style {@code kind: List} (about 1 MB of block YAML): the fast
 * block reader against snakeyaml-engine's event reader alone. Run:
 * {@code bench/jmh.sh posture 'YamlReader.*' -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class YamlReaderBenchmark {

    byte[] input;

    @Setup
    public void generate() {
        StringBuilder b = new StringBuilder("apiVersion: v1\nitems:\n");
        for (int i = 0; i < 2000; i++) {
            b.append("""
                    - apiVersion: v1
                      kind: Pod
                      metadata:
                        labels:
                          app: web-%d
                        name: web-%d
                        namespace: shop-%d
                      spec:
                        containers:
                        - args: ["--port=8080", "-v"]
                          image: "registry.local/web:1.%d"
                          name: web
                          ports:
                          - {containerPort: 8080, protocol: TCP}
                          securityContext:
                            allowPrivilegeEscalation: false
                            capabilities: {drop: [ALL]}
                        serviceAccountName: web
                      status:
                        phase: Running
                    """.formatted(i % 40, i, i % 200, i % 40));
        }
        input = b.append("kind: List\nmetadata:\n  resourceVersion: \"\"\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public void fast(Blackhole bh) throws IOException {
        BlockYamlReader.read("bench.yaml", new ByteArrayInputStream(input), sink(bh));
    }

    @Benchmark
    public void snakeyamlEngine(Blackhole bh) {
        YamlReader.readEvents("bench.yaml", new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8), sink(bh));
    }

    private static ObjectSink sink(Blackhole bh) {
        return new ObjectSink() {
            @Override
            public void object(KubeObject object) {
                bh.consume(object);
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                bh.consume(anomaly);
            }
        };
    }
}
