package dev.vigil.net.dns;

import dev.vigil.model.net.ConnId;
import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Feed;
import java.lang.foreign.MemorySegment;
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
 * DNS: a whole UDP flow (analyzer, query, response with a CNAME and two addresses, one {@code dns}
 * record), and a query alone on a long-lived flow (parsed and pooled, nothing allocated).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DnsBenchmark {

    private CountingContext ctx;
    private MemorySegment query;
    private MemorySegment response;
    private AppAnalyzer longLived;
    private long ts;


    @Setup
    public void setup() {
        ctx = new CountingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", 53, "udp"));
        query = Feed.nativeCopy(DnsWire.header(0x1234, DnsWire.RD, 1, 0, 0, 0).question("www.example.com", 1, 1).build());
        response = Feed.nativeCopy(DnsWire.header(0x1234, DnsWire.QR | DnsWire.RD | DnsWire.RA, 1, 3, 0, 0)
                .question("www.example.com", 1, 1)
                .rrAt(12, 5, 300, DnsWire.data().name("edge.example.net").build())
                .rr("edge.example.net", 1, 60, new byte[] {93, (byte) 184, (byte) 216, 34})
                .rr("edge.example.net", 1, 60, new byte[] {93, (byte) 184, (byte) 216, 35}).build());
        longLived = DnsProtocol.overUdp().create(ctx);
    }

    @Benchmark
    public long flow() {
        AppAnalyzer a = DnsProtocol.overUdp().create(ctx);
        a.data(Direction.ORIG, query, 0, (int) query.byteSize(), ts++);
        a.data(Direction.RESP, response, 0, (int) response.byteSize(), ts++);
        a.end(ts);
        return ctx.records;
    }

    @Benchmark
    public long pairedOnALongFlow() {
        longLived.data(Direction.ORIG, query, 0, (int) query.byteSize(), ts++);
        longLived.data(Direction.RESP, response, 0, (int) response.byteSize(), ts++);
        return ctx.records;
    }
}
