package dev.vigil.net.stratum;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One Stratum v1 session: subscribe, authorize, notifications, submits. Run: {@code bench/jmh.sh net StratumBenchmark}. */
public class StratumBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new StratumProtocol();
    }

    @Override
    protected Transcript transcript() {
        return StratumAnalyzerTest.bitcoinSession();
    }
}
