package dev.vigil.net.redis;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One Redis session: pipelined multi-bulk and inline commands, RESP2 and RESP3 replies. Run: {@code bench/jmh.sh net RedisBenchmark}. */
public class RedisBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new RedisProtocol();
    }

    @Override
    protected Transcript transcript() {
        return RedisAnalyzerTest.session();
    }
}
