package dev.vigil.model.identity;

/**
 * A running container as the cluster names it.
 *
 * @param containerId the runtime's id without scheme (64 hex characters for containerd, CRI-O, docker)
 * @param runtime     the scheme the kubelet reported: {@code containerd}, {@code cri-o}, {@code docker}
 * @param namespace   pod namespace
 * @param pod         pod name
 * @param podUid      pod UID
 * @param container   container name within the pod
 * @param image       the image reference as declared in the pod spec
 * @param imageDigest {@code sha256:…} of the image actually running (from {@code imageID}), or null if unknown
 * @param workload    the pod's root owner
 */
public record ContainerIdentity(
        String containerId,
        String runtime,
        String namespace,
        String pod,
        String podUid,
        String container,
        String image,
        String imageDigest,
        WorkloadRef workload) {

    /** The repository part of {@link #image()}, without tag or digest (Falco's {@code container.image.repository}). */
    public String imageRepository() {
        String ref = withoutDigest();
        int colon = tagColon(ref);
        return colon >= 0 ? ref.substring(0, colon) : ref;
    }

    /** The tag of {@link #image()} ({@code 1.27} in {@code nginx:1.27}), or null when it has none (Falco's {@code container.image.tag}). */
    public String imageTag() {
        String ref = withoutDigest();
        int colon = tagColon(ref);
        return colon >= 0 ? ref.substring(colon + 1) : null;
    }

    private String withoutDigest() {
        int at = image.indexOf('@');
        return at >= 0 ? image.substring(0, at) : image;
    }

    /** The colon before the tag; a colon before the last slash belongs to a registry port. */
    private static int tagColon(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? colon : -1;
    }
}
