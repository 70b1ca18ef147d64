package dev.vigil.net.smtp;

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

/** SMTP: one pipelined mail transaction on a long session (envelope, headers, 1 KiB body, one record), and a body segment alone. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmtpBenchmark {

    private CountingContext ctx;
    private AppAnalyzer session;
    private AppAnalyzer bodies;
    private MemorySegment commands;
    private MemorySegment replies;
    private MemorySegment message;
    private MemorySegment accepted;
    private MemorySegment bodySegment;
    private long ts;


    private static void feed(AppAnalyzer a, Direction d, MemorySegment s, long ts) {
        a.data(d, s, 0, (int) s.byteSize(), ts);
    }

    @Setup
    public void setup() {
        ctx = new CountingContext(new ConnId("10.0.0.1", 40000, "10.0.0.2", 25, "tcp"));
        session = new SmtpProtocol().create(ctx);
        feed(session, Direction.RESP, Feed.nativeCopy("220 mx.example.com ESMTP\r\n"), 0);
        commands = Feed.nativeCopy("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n");
        replies = Feed.nativeCopy("250 Ok\r\n250 Ok\r\n354 go\r\n");
        message = Feed.nativeCopy("Received: from a.example ([192.0.2.1]) by mx\r\nFrom: Alice <alice@example.org>\r\n"
                + "To: bob@example.com\r\nSubject: report\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n"
                + "line of text\r\n".repeat(73) + ".\r\n");
        accepted = Feed.nativeCopy("250 Ok: queued\r\n");
        bodies = new SmtpProtocol().create(new CountingContext(ctx.id()));
        feed(bodies, Direction.ORIG, Feed.nativeCopy("DATA\r\n"), 0);
        feed(bodies, Direction.RESP, Feed.nativeCopy("354 go\r\n\r\n"), 0);
        feed(bodies, Direction.ORIG, Feed.nativeCopy("Subject: x\r\n\r\n"), 0);
        bodySegment = Feed.nativeCopy("a body line of some length\r\n".repeat(52));
    }

    @Benchmark
    public long mailTransaction() {
        feed(session, Direction.ORIG, commands, ts++);
        feed(session, Direction.RESP, replies, ts++);
        feed(session, Direction.ORIG, message, ts++);
        feed(session, Direction.RESP, accepted, ts++);
        return ctx.records;
    }

    @Benchmark
    public long bodySegment() {
        feed(bodies, Direction.ORIG, bodySegment, ts++);
        return ts;
    }
}
