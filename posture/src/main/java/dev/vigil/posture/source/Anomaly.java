package dev.vigil.posture.source;

/**
 * Input that could not be read as a Kubernetes object: malformed YAML or JSON, a document without
 * {@code kind}, an object over a size limit. Readers report anomalies and go on where they can; they
 * never throw for bad input.
 */
public record Anomaly(Origin origin, String message) {

    public String display() {
        return origin.display() + ": " + message;
    }
}
