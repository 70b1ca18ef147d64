package dev.vigil.kube.identity;

import java.util.Locale;

/**
 * The forms a container id takes: the kubelet's {@code <runtime>://<id>} URI
 * ({@code containerd://}, {@code cri-o://}, {@code docker://}), the bare 64-character hex id that
 * cgroup paths carry, and the 12-character short prefix that docker and Falco print.
 */
final class ContainerIds {

    /** Length of a full container id (a SHA-256 in hex). */
    static final int FULL_LENGTH = 64;
    /** Length of the short form. */
    static final int SHORT_LENGTH = 12;

    private ContainerIds() {
    }

    /** The runtime of a kubelet container URI ({@code containerd} for {@code containerd://…}), else null. */
    static String runtime(String uri) {
        int scheme = uri == null ? -1 : uri.indexOf("://");
        return scheme > 0 ? uri.substring(0, scheme) : null;
    }

    /**
     * The id in lower-case hex without scheme, when {@code text} is a URI or bare id of
     * {@link #FULL_LENGTH} or {@link #SHORT_LENGTH} hex characters; else null.
     */
    static String normalize(String text) {
        if (text == null) {
            return null;
        }
        int scheme = text.indexOf("://");
        String id = scheme >= 0 ? text.substring(scheme + 3) : text;
        if (id.length() != FULL_LENGTH && id.length() != SHORT_LENGTH) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return null;
            }
        }
        return id.toLowerCase(Locale.ROOT);
    }

    /** The {@code sha256:…} digest in a kubelet {@code imageID} ({@code repo@sha256:…}, {@code docker-pullable://…}), else null. */
    static String digest(String imageId) {
        if (imageId == null || imageId.isEmpty()) {
            return null;
        }
        int at = imageId.lastIndexOf('@');
        String tail = at >= 0 ? imageId.substring(at + 1) : imageId;
        return tail.startsWith("sha256:") && tail.length() == "sha256:".length() + FULL_LENGTH ? tail : null;
    }
}
