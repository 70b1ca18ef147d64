package dev.vigil.net.ssh;

import dev.vigil.net.app.AppProtocol;
import dev.vigil.net.app.Transcript;
import dev.vigil.net.app.TranscriptBenchmark;

/** One SSH connection from banners to NEWKEYS. Run: {@code bench/jmh.sh net SshBenchmark -prof gc}. */
public class SshBenchmark extends TranscriptBenchmark {

    @Override
    protected AppProtocol protocol() {
        return new SshProtocol();
    }

    @Override
    protected Transcript transcript() {
        return SshAnalyzerTest.session();
    }
}
