package dev.vigil.posture.report;

/**
 * The object a finding is about: a Kubernetes object (kind, namespace, name), an RBAC subject, an
 * image or a node file. {@code file} is the input file it was read from, or null for a live cluster;
 * {@code line} is the 1-based line where it starts in that file, or 0 when unknown.
 *
 * @param namespace null for cluster-scoped objects
 */
public record Resource(String kind, String namespace, String name, String file, int line) {

    /** A resource without a known line. */
    public Resource(String kind, String namespace, String name, String file) {
        this(kind, namespace, name, file, 0);
    }

    /** {@code kind ns/name} or {@code kind name}, as shown in tables. */
    public String display() {
        return kind + " " + (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }

    /** {@code file:line}, {@code file}, or null for cluster objects. */
    public String location() {
        if (file == null) {
            return null;
        }
        return line > 0 ? file + ":" + line : file;
    }
}
