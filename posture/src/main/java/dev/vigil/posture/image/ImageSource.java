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

    /** A manifest as fetched: its raw bytes and declared media type (may be null). */
    record Manifest(byte[] bytes, String mediaType) {
    }

    /** The manifest that {@code reference} (a tag or a {@code sha256:} digest) names in {@code repository}, if any. */
    Optional<Manifest> manifest(String repository, String reference) throws IOException;

    /** The blob {@code digest} of {@code repository}; the caller closes the stream. */
    Optional<InputStream> blob(String repository, String digest) throws IOException;

    /** Where this source reads from, for messages. */
    String describe();
}
