package dev.vigil.posture.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where image manifests and blobs come from: an OCI image layout on disk ({@link OciLayout}) or a
 * registry through the OCI distribution API ({@link RegistryClient}). Implementations return bytes
 * as stored; callers verify digests themselves, so a source is never trusted.
 */
public interface ImageSource {

    /**
     * A manifest as fetched: its raw bytes, declared media type (may be null) and the digest the source
     * names it by — the index entry of a layout, the {@code Docker-Content-Digest} of a registry, or
     * the hash of the bytes when the source names none. Verification fetches that digest again and
     * checks the bytes hash to it, so a modified manifest behind a tag is caught.
     */
    record Manifest(byte[] bytes, String mediaType, String digest) {
    }

    /** The manifest that {@code reference} (a tag or a {@code sha256:} digest) names in {@code repository}, if any. */
    Optional<Manifest> manifest(String repository, String reference) throws IOException;

    /** The blob {@code digest} of {@code repository}; the caller closes the stream. */
    Optional<InputStream> blob(String repository, String digest) throws IOException;

    /** Where this source reads from, for messages. */
    String describe();
}
