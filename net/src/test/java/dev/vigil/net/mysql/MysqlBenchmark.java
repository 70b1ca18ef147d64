package dev.vigil.net.mysql;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;
import dev.vigil.net.app.Wire;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * One MySQL session (greeting, login, queries with result sets, prepare/execute) per operation, and
 * the hot path: a 1,460-byte segment of result-set rows, which must not allocate. Run:
 * {@code bench/jmh.sh net MysqlBenchmark -prof gc}.
 */
public class MysqlBenchmark extends TranscriptBenchmark {

    private AppAnalyzer answering;
    private MemorySegment rows;

    @Override
    protected AppProtocol protocol() {
        return new MysqlProtocol();
    }

    @Override
    protected Transcript transcript() {
        return MysqlAnalyzerTest.session();
    }

    @Setup
    public void answeringQuery() {
        int caps = MysqlMessages.CAPABILITIES;
        answering = new MysqlProtocol().create(new CountingContext(BENCH_ID));
        feed(answering, Direction.RESP, MysqlMessages.greeting("8.0.36", caps));
        feed(answering, Direction.ORIG, MysqlMessages.login("app", caps));
        feed(answering, Direction.RESP, MysqlMessages.ok(2, 0, 2));
        feed(answering, Direction.ORIG, MysqlMessages.command(3, "select * from events"));
        feed(answering, Direction.RESP, MysqlMessages.concat(MysqlMessages.packet(1, Wire.create().u8(1)),
                MysqlMessages.columnDef(2, "c"), MysqlMessages.eof(3, 0)));
        rows = repeated(MysqlMessages.row(4, "12345678", "2024-01-01 00:00:00", "info"), 1460);
    }

    @Benchmark
    public void rowSegment() {
        answering.data(Direction.RESP, rows, 0, (int) rows.byteSize(), 2);
    }
}
