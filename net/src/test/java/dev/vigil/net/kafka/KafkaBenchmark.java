package dev.vigil.net.kafka;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One Kafka session: ApiVersions, Metadata, Produce (acks 1 and 0), Heartbeat. Run: {@code bench/jmh.sh net KafkaBenchmark}. */
public class KafkaBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new KafkaProtocol();
    }

    @Override
    protected Transcript transcript() {
        return KafkaAnalyzerTest.session();
    }
}
