package dev.vigil.model.identity;

import java.util.Objects;

/**
 * The root owner of a pod: the object a user deploys (Deployment, StatefulSet, DaemonSet, CronJob,
 * Job) or the Pod itself when it has no controller. Baselines and alerts are keyed by it.
 *
 * @param namespace the namespace; never null
 * @param kind      the Kubernetes kind of the root owner, e.g. {@code Deployment} or {@code Pod}
 * @param name      the name of the root owner
 */
public record WorkloadRef(String namespace, String kind, String name) {
    public WorkloadRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** {@code namespace/name}, the form used on the command line and in alerts. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + kind + "/" + name;
    }
}
