package dev.vigil.net.analysis;

import dev.vigil.net.app.AppAnalyzerFactory;
import dev.vigil.net.flow.FlowConfig;
import dev.vigil.net.scan.ScanConfig;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Runs corpus captures through a pipeline with fixed uid seeds. */
public final class CorpusRun {

    private CorpusRun() {
    }

    /** {@code relative} under {@code ../shared/corpora/pcaps}. */
    public static Path pcap(String relative) {
        return Requirements.corpora().resolve("pcaps").resolve(relative);
    }

    public static RecordingSink run(Path file, ScanConfig scan, AppAnalyzerFactory factory) {
        return run(file, scan, factory, 0);
    }

    public static RecordingSink run(Path file, ScanConfig scan, AppAnalyzerFactory factory, int communityIdSeed) {
        return run(file, scan, factory, communityIdSeed, 1);
    }

    /** As {@link #run(Path, ScanConfig, AppAnalyzerFactory, int)} on {@code workers} flow threads (1: one {@link Pipeline}). */
    public static RecordingSink run(Path file, ScanConfig scan, AppAnalyzerFactory factory, int communityIdSeed,
                                    int workers) {
        RecordingSink sink = new RecordingSink();
        PipelineConfig config = new PipelineConfig(FlowConfig.defaults().withUidSeed(1), scan, communityIdSeed,
                IdentityResolver.NONE);
        try {
            if (workers == 1) {
                Pipeline.analyze(file, config, factory, sink);
            } else {
                ParallelPipeline.analyze(file, config, factory, workers, record -> {
                    synchronized (sink) {
                        sink.accept(record);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    public static RecordingSink run(String relative) {
        return run(pcap(relative), ScanConfig.defaults(), null);
    }
}
