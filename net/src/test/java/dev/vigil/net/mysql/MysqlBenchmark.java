package dev.vigil.net.mysql;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One MySQL session: greeting, login, queries with result sets, prepare/execute. Run: {@code bench/jmh.sh net MysqlBenchmark}. */
public class MysqlBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new MysqlProtocol();
    }

    @Override
    protected Transcript transcript() {
        return MysqlAnalyzerTest.session();
    }
}
