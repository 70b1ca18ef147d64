package dev.vigil.posture.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image layout on disk ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}).
 * Tags are the {@code org.opencontainers.image.ref.name} annotations of {@code index.json}; a ref
 * name may be a bare tag ({@code v1}, {@code sha256-….sig}) or a full reference
 * ({@code registry/repo:tag}), in which case its repository must end with the one asked for; when an
 * entry also carries {@code io.containerd.image.name} (a layout holding several images), that full
 * reference decides.
 *
 * <p>Limits: {@link #MAX_INDEX_BYTES} (default 16 MiB) for {@code index.json} and
 * {@link #MAX_MANIFEST_BYTES} (default 4 MiB) per manifest.
 */
public final class OciLayout implements ImageSource {

    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The full reference containerd (and the lab) record beside a bare tag; it tells images with equal tags apart. */
    public static final String IMAGE_NAME = "io.containerd.image.name";
    public static final long MAX_INDEX_BYTES = 16L << 20;
    public static final long MAX_MANIFEST_BYTES = 4L << 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Path dir;

    public OciLayout(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens {@code dir} after checking it is a layout.
     *
     * @throws IOException saying what is missing
     */
    public static OciLayout open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve("index.json")) || !Files.isRegularFile(dir.resolve("oci-layout"))) {
            throw new NoSuchFileException(dir.toString(), null,
                    "not an OCI image layout (needs oci-layout and index.json); write one with skopeo copy … oci:DIR:TAG");
        }
        return new OciLayout(dir);
    }

    @Override
    public Optional<Manifest> manifest(String repository, String reference) throws IOException {
        String digest = reference;
        String mediaType = null;
        if (!ImageReference.isDigest(reference)) {
            JsonNode found = null;
            for (JsonNode m : index().path("manifests")) {
                String ref = m.path("annotations").path(REF_NAME).asString("");
                String full = m.path("annotations").path(IMAGE_NAME).asString("");
                boolean matches = !full.isEmpty()
                        ? full.endsWith(":" + reference) && sameRepository(full, repository, reference)
                        : ref.equals(reference) || (ref.endsWith(":" + reference) && sameRepository(ref, repository, reference));
                if (matches) {
                    found = m;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            digest = found.path("digest").asString("");
            mediaType = found.path("mediaType").asString(null);
            if (!ImageReference.isDigest(digest)) {
                throw new IOException(dir.resolve("index.json") + ": tag " + reference + " has digest '" + digest
                        + "', not sha256:<64 hex>");
            }
        }
        Path file = blobPath(digest);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_MANIFEST_BYTES) {
            throw new IOException(file + ": manifest of " + Files.size(file) + " bytes exceeds MAX_MANIFEST_BYTES="
                    + MAX_MANIFEST_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (mediaType == null) {
            mediaType = JSON.readTree(bytes).path("mediaType").asString(null);
        }
        return Optional.of(new Manifest(bytes, mediaType, digest));
    }

    @Override
    public Optional<InputStream> blob(String repository, String digest) throws IOException {
        Path file = blobPath(digest);
        return Files.isRegularFile(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
    }

    @Override
    public String describe() {
        return "OCI layout " + dir;
    }

    private JsonNode index() throws IOException {
        Path index = dir.resolve("index.json");
        if (Files.size(index) > MAX_INDEX_BYTES) {
            throw new IOException(index + ": " + Files.size(index) + " bytes exceeds MAX_INDEX_BYTES=" + MAX_INDEX_BYTES);
        }
        return JSON.readTree(Files.readAllBytes(index));
    }

    private Path blobPath(String digest) throws IOException {
        if (!ImageReference.isDigest(digest)) {
            throw new IOException("digest '" + digest + "' is not sha256:<64 hex>");
        }
        return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static boolean sameRepository(String refName, String repository, String tag) {
        String repo = refName.substring(0, refName.length() - tag.length() - 1);
        return repository == null || repository.isEmpty() || repo.equals(repository) || repo.endsWith("/" + repository)
                || repository.endsWith("/" + repo);
    }
}
