package dev.vigil.posture.source;

import java.io.IOException;

/**
 * A stream of Kubernetes objects: files ({@link FileSource}) or a live cluster ({@link ClusterSource}).
 * {@link #read} pushes one object at a time to the sink and never holds the whole input in memory.
 * Malformed input becomes {@link Anomaly anomalies}; only I/O and connection failures throw.
 */
public interface ObjectSource {

    /** Streams every object to {@code sink}, in input order. */
    void read(ObjectSink sink) throws IOException;

    /** What is read, for messages and report headers, e.g. {@code files pods.yaml, manifests/}. */
    String describe();
}
