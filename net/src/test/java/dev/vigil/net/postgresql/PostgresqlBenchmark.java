package dev.vigil.net.postgresql;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One PostgreSQL session: login, simple and extended queries. Run: {@code bench/jmh.sh net PostgresqlBenchmark}. */
public class PostgresqlBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new PostgresqlProtocol();
    }

    @Override
    protected Transcript transcript() {
        return PostgresqlAnalyzerTest.session();
    }
}
