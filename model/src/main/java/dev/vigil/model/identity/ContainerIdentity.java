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
        String ref = image;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        return colon > slash ? ref.substring(0, colon) : ref;
    }
}
