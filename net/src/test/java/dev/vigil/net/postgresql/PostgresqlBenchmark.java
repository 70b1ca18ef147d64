package dev.vigil.net.postgresql;

import dev.vigil.net.app.AppAnalyzer;
import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.CountingContext;
import dev.vigil.net.app.Direction;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;
import dev.vigil.net.app.Wire;
import java.lang.foreign.Arena;
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
        feed(Direction.ORIG, PgMessages.startup("user", "app"));
        feed(Direction.RESP, PgMessages.concat(PgMessages.auth(0), PgMessages.ready('I')));
        feed(Direction.ORIG, PgMessages.query("select * from events"));
        byte[] row = PgMessages.message('D', Wire.create().u16(3).u32(8).ascii("12345678").u32(20)
                .ascii("2024-01-01 00:00:00+").u32(4).ascii("info"));
        Wire segment = Wire.create();
        while (segment.size() + row.length <= 1460) {
            segment.bytes(row);
        }
        byte[] b = segment.toByteArray();
        rows = Arena.ofAuto().allocate(b.length);
        rows.copyFrom(MemorySegment.ofArray(b));
    }

    private void feed(Direction d, byte[] bytes) {
        answering.data(d, MemorySegment.ofArray(bytes), 0, bytes.length, 1);
    }

    @Benchmark
    public void dataRowSegment() {
        answering.data(Direction.RESP, rows, 0, (int) rows.byteSize(), 2);
    }
}
