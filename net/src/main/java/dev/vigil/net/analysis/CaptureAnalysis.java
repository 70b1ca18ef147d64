package dev.vigil.net.analysis;

import dev.vigil.net.decode.Anomaly;
import dev.vigil.net.pcap.Frame;
import java.util.Map;

/**
 * Analysis of one capture, frame by frame: a {@link Pipeline} on the caller's thread, or a
 * {@link ParallelPipeline} that spreads flows over worker threads. Both give the same records.
 */
public interface CaptureAnalysis extends AutoCloseable {

    /** Processes one frame (valid only during the call). */
    void frame(Frame frame);

    /** Ends every flow (end of input), writing their records; the counters are final afterwards. */
    void finish();

    /** Frames seen. */
    long frames();

    /** Captured bytes seen. */
    long bytes();

    /** Flows created. */
    long flowsCreated();

    /** How often the decoder met {@code anomaly}. */
    long anomalyCount(Anomaly anomaly);

    /** Releases threads and memory; after {@link #finish}, or instead of it when reading failed. */
    @Override
    default void close() {
    }

    /** Anomaly counts by name, including those beyond {@link PipelineConfig#MAX_WEIRDS_PER_NAME}. */
    Map<String, Long> weirdCounts();
}
