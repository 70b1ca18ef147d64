package dev.vigil.detect.detector;

import dev.vigil.model.alert.Alert;

/**
 * Receives what detectors find: alerts (for the {@link dev.vigil.detect.alert.AlertFolder} and the
 * sinks) and, for workloads in protect mode, decisions to stop something. Called on the detector's
 * thread; implementations hand work on without blocking.
 */
public interface Detections {

    void alert(Alert alert);

    void decide(Decision decision);
}
