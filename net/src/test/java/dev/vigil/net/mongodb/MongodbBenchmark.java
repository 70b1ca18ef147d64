package dev.vigil.net.mongodb;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One MongoDB session: OP_MSG commands and replies, legacy OP_QUERY, compression. Run: {@code bench/jmh.sh net MongodbBenchmark}. */
public class MongodbBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new MongodbProtocol();
    }

    @Override
    protected Transcript transcript() {
        return MongodbAnalyzerTest.session();
    }
}
