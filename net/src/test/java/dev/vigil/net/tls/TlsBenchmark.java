package dev.vigil.net.tls;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
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

/**
 * TLS analysis cost: a whole TLS 1.2 handshake per operation (per-connection work: hello parsing,
 * fingerprints, record), and the per-segment cost of following records before establishment (the
 * hot path, which must not allocate). Run: {@code bench/jmh.sh net TlsBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlsBenchmark {

    private static final dev.vigil.model.net.ConnId ID =
            new dev.vigil.model.net.ConnId("10.0.0.1", 40000, "10.0.0.2", 443, "tcp");

    private List<Transcript.Segment> handshake;
    private MemorySegment[] handshakeSegments;
    private MemorySegment records;
    private AppAnalyzer follower;
    private CountingContext context;

    @Setup
    public void setUp() {
        handshake = TlsAnalyzerTest.tls12(0xc02f).segments();
        handshakeSegments = handshake.stream().map(s -> MemorySegment.ofArray(s.bytes())).toArray(MemorySegment[]::new);
        byte[] segment = new byte[1460];
        int at = 0;
        while (at + 5 <= segment.length) {
            int len = Math.min(segment.length - at - 5, 287);
            segment[at] = 23;
            segment[at + 1] = 3;
            segment[at + 2] = 3;
            segment[at + 3] = (byte) (len >> 8);
            segment[at + 4] = (byte) len;
            at += 5 + len;
        }
        records = Arena.ofAuto().allocate(at);
        records.copyFrom(MemorySegment.ofArray(segment).asSlice(0, at));
        context = new CountingContext(ID);
        follower = new TlsProtocol().create(context);
        byte[] hello = TlsMessages.record(22, TlsAnalyzerTest.clientHello());
        follower.data(Direction.ORIG, MemorySegment.ofArray(hello), 0, hello.length, 1);
    }

    @Benchmark
    public long handshake() {
        CountingContext c = new CountingContext(ID);
        AppAnalyzer analyzer = new TlsProtocol().create(c);
        for (int i = 0; i < handshakeSegments.length; i++) {
            analyzer.data(handshake.get(i).direction(), handshakeSegments[i], 0, (int) handshakeSegments[i].byteSize(), i);
        }
        return c.records;
    }

    /** One 1460-byte segment of application-data records from the client, before the server answered. */
    @Benchmark
    public long recordSegment() {
        follower.data(Direction.ORIG, records, 0, (int) records.byteSize(), 2);
        return context.anomalies;
    }
}
