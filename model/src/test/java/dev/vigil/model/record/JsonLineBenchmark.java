package dev.vigil.model.record;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Renders one conn record as {@code pcap analyze} prints it (the most frequent record of the mixed
 * capture, 40 % of its lines). {@code pcap analyze} runs with C1 only, so measure that way too:
 * {@code bench/jmh.sh model JsonLine -f 1 -wi 3 -i 5 -w 1 -r 1 -jvmArgsAppend -XX:TieredStopAtLevel=1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonLineBenchmark {

    /** The fields and values of a conn line of the mixed capture. */
    record Conn(double ts, String uid, String origH, int origP, String respH, int respP, String proto, String service,
                double duration, long origBytes, long respBytes, String state, long missed, String history,
                long origPkts, long origIpBytes, long respPkts, long respIpBytes, String communityId, Boolean encrypted)
            implements LogRecord {

        static final Conn SAMPLE = new Conn(1795714221.783811, "CUymG0Dx3SP7sf6jo1", "10.252.1.1", 56136, "10.252.1.2",
                443, "tcp", "ssl", 0.024799, 637, 7106, "SF", 0, "ShADadtFf", 11, 1229, 12, 7762,
                "1:66AjMrmBAOz7OyiGrGXAJid9UKQ=", true);

        @Override
        public String log() {
            return "conn";
        }

        @Override
        public void writeTo(FieldSink sink) {
            sink.string("uid", uid).string("id.orig_h", origH).number("id.orig_p", origP).string("id.resp_h", respH)
                    .number("id.resp_p", respP).string("proto", proto).string("service", service)
                    .decimal("duration", duration).number("orig_bytes", origBytes).number("resp_bytes", respBytes)
                    .string("conn_state", state).number("missed_bytes", missed).string("history", history)
                    .number("orig_pkts", origPkts).number("orig_ip_bytes", origIpBytes).number("resp_pkts", respPkts)
                    .number("resp_ip_bytes", respIpBytes).string("community_id", communityId)
                    .bool("encrypted", encrypted);
        }
    }

    private final JsonLine json = new JsonLine();

    /** The byte path of {@code pcap analyze}: the object's UTF-8 bytes, ready to copy into an output chunk. */
    @Benchmark
    public int bytes() {
        return json.begin(Conn.SAMPLE).finish().length();
    }

    /** The text path: the object decoded into the line's {@code StringBuilder} (alerts, host events, posture). */
    @Benchmark
    public int text() {
        return json.begin(Conn.SAMPLE).end().length();
    }
}
