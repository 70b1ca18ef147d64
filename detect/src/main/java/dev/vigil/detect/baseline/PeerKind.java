package dev.vigil.detect.baseline;

/** What a network peer of a workload is, as baselines and alerts name it. */
public enum PeerKind {
    /** Pods of another workload, named {@code namespace/name} of their root owner. */
    WORKLOAD("workload"),
    /** A Service address, named {@code namespace/name}. */
    SERVICE("service"),
    /** A node address, named by the node. */
    NODE("node"),
    /** The Kubernetes API server (service {@code default/kubernetes}, its endpoints or TLS name). */
    KUBE_API("kube-api"),
    /** Outside the cluster, named by the DNS name the pod resolved for it, else by its address. */
    EXTERNAL("external");

    private final String label;

    PeerKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind named {@code text}, or null. */
    public static PeerKind parse(String text) {
        for (PeerKind k : values()) {
            if (k.label.equals(text)) {
                return k;
            }
        }
        return null;
    }
}
