package dev.vigil.net.postgresql;

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
 * One PostgreSQL session (login, simple and extended queries) per operation, and the hot path: a
 * 1,460-byte segment of DataRow messages in a query's answer, which must not allocate. Run:
 * {@code bench/jmh.sh net PostgresqlBenchmark -prof gc}.
 */
public class PostgresqlBenchmark extends TranscriptBenchmark {

    private AppAnalyzer answering;
    private MemorySegment rows;

    @Override
    protected AppProtocol protocol() {
        return new PostgresqlProtocol();
    }

    @Override
    protected Transcript transcript() {
        return PostgresqlAnalyzerTest.session();
    }

    @Setup
    public void answeringQuery() {
        answering = new PostgresqlProtocol().create(new CountingContext(BENCH_ID));
        feed(answering, Direction.ORIG, PgMessages.startup("user", "app"));
        feed(answering, Direction.RESP, PgMessages.concat(PgMessages.auth(0), PgMessages.ready('I')));
        feed(answering, Direction.ORIG, PgMessages.query("select * from events"));
        rows = repeated(PgMessages.message('D', Wire.create().u16(3).u32(8).ascii("12345678").u32(20)
                .ascii("2024-01-01 00:00:00+").u32(4).ascii("info")), 1460);
    }

    @Benchmark
    public void dataRowSegment() {
        answering.data(Direction.RESP, rows, 0, (int) rows.byteSize(), 2);
    }
}
