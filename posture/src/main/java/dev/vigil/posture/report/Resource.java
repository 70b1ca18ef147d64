package dev.vigil.posture.report;

/**
 * The object a finding is about: a Kubernetes object (kind, namespace, name), an RBAC subject, an
 * image or a node file. {@code file} is the input file it was read from, or null for a live cluster.
 *
 * @param namespace null for cluster-scoped objects
 */
public record Resource(String kind, String namespace, String name, String file) {

    /** {@code kind ns/name} or {@code kind name}, as shown in tables. */
    public String display() {
        return kind + " " + (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
