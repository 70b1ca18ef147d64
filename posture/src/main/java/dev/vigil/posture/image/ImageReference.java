package dev.vigil.posture.image;

import java.util.regex.Pattern;

/**
 * A container image reference split as the Docker reference grammar does:
 * {@code [registry/]repository[:tag][@sha256:digest]}. Short names are normalised the Docker way
 * ({@code nginx} is {@code docker.io/library/nginx}); a reference with neither tag nor digest means
 * tag {@code latest}.
 *
 * @param tag    null when the reference names only a digest
 * @param digest {@code sha256:<64 hex>}, or null when not pinned
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /**
     * Parses {@code ref}.
     *
     * @throws IllegalArgumentException naming what is wrong with the reference
     */
    public static ImageReference parse(String ref) {
        if (ref == null || ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("image reference '" + ref + "' is empty or contains spaces");
        }
        String rest = ref;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!isDigest(digest)) {
                throw new IllegalArgumentException("image reference '" + ref + "': digest '" + digest
                        + "' is not sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (tag.isEmpty()) {
                throw new IllegalArgumentException("image reference '" + ref + "' has an empty tag");
            }
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("image reference '" + ref + "' has no repository");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    public static boolean isDigest(String s) {
        return s != null && SHA256.matcher(s).matches();
    }

    public boolean pinned() {
        return digest != null;
    }

    /** {@code registry/repository}, the identity cosign signs as {@code docker-reference}. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
