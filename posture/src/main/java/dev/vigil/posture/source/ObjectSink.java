package dev.vigil.posture.source;

/** Receives objects one at a time as a source streams them, and the anomalies met on the way. */
public interface ObjectSink {

    void object(KubeObject object);

    void anomaly(Anomaly anomaly);
}
