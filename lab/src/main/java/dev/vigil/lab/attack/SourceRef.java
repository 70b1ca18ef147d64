package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;

/**
 * A pod named before the lab runs: {@code namespace/workload} (or pod name) and an optional
 * container, as {@code --from} takes it and scenarios declare their default source.
 */
public record SourceRef(String namespace, String pod, String container) {

    /** Parses {@code NAMESPACE/POD}; {@code container} may be null (the pod's first container). */
    public static SourceRef parse(String namespaceSlashPod, String container) {
        int slash = namespaceSlashPod.indexOf('/');
        if (slash <= 0 || slash == namespaceSlashPod.length() - 1 || namespaceSlashPod.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("name the pod as NAMESPACE/POD, e.g. shop-web/frontend (got '" + namespaceSlashPod + "')");
        }
        return new SourceRef(namespaceSlashPod.substring(0, slash), namespaceSlashPod.substring(slash + 1), container);
    }

    public Source resolve(LabStatus lab) {
        return Source.resolve(lab, namespace, pod, container);
    }

    @Override
    public String toString() {
        return namespace + "/" + pod + (container == null ? "" : ":" + container);
    }
}
