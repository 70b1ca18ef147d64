package dev.vigil.lab.attack;

import dev.vigil.lab.LabStatus;

/** A container of a running lab pod: where a technique runs or what it targets. */
public record Source(LabStatus.Pod pod, LabStatus.Container container) {

    /**
     * Resolves {@code namespace/pod} (pod or workload name) and a container name (null: the pod's
     * first container) in a running lab; the message of a failure lists what exists.
     */
    public static Source resolve(LabStatus lab, String namespace, String pod, String container) {
        LabStatus.Pod p;
        try {
            p = lab.pod(namespace, pod);
        } catch (IllegalArgumentException e) {
            throw new AttackException(e.getMessage());
        }
        if (container == null) {
            return new Source(p, p.containers().getFirst());
        }
        try {
            return new Source(p, p.container(container));
        } catch (IllegalArgumentException e) {
            throw new AttackException(e.getMessage());
        }
    }

    /** {@code namespace/pod:container}. */
    @Override
    public String toString() {
        return pod.namespace() + "/" + pod.name() + ":" + container.name();
    }
}
