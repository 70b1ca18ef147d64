package dev.vigil.posture.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds OCI image layouts and cosign-style signatures for tests, written from the OCI image-layout
 * and cosign specifications independently of the verifier.
 */
final class TestImages {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private TestImages() {
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(PublicKey k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(k.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** Writes a one-layer image tagged {@code tag}; returns its manifest digest. */
    static String writeImage(Path layout, String tag, String layerText) {
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        String layerDigest = putBlob(layout, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = putBlob(layout, config);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest).put("size", config.length);
        m.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", layerDigest).put("size", layer.length);
        byte[] manifest = JSON.writeValueAsBytes(m);
        String digest = putBlob(layout, manifest);
        tag(layout, tag, digest, manifest.length, "application/vnd.oci.image.manifest.v1+json");
        return digest;
    }

    /** Signs {@code digest} as cosign does and stores the signature under tag {@code sha256-<hex>.sig}. */
    static void sign(Path layout, String dockerReference, String digest, PrivateKey key) {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + dockerReference
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + digest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        writeSignatures(layout, digest, Map.of(payload, signature(payload, key)));
    }

    static String signature(byte[] payload, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(payload);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a signature manifest with one layer per payload → base64 signature. */
    static void writeSignatures(Path layout, String digest, Map<byte[], String> payloads) {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", putBlob(layout, config)).put("size", config.length);
        ArrayNode layers = m.putArray("layers");
        payloads.forEach((payload, sig) -> layers.addObject()
                .put("mediaType", "application/vnd.dev.cosign.simplesigning.v1+json")
                .put("digest", putBlob(layout, payload)).put("size", payload.length)
                .putObject("annotations").put("dev.cosignproject.cosign/signature", sig));
        byte[] manifest = JSON.writeValueAsBytes(m);
        tag(layout, digest.replace(':', '-') + ".sig", putBlob(layout, manifest), manifest.length,
                "application/vnd.oci.image.manifest.v1+json");
    }

    static String putBlob(Path layout, byte[] content) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            Path dir = layout.resolve("blobs/sha256");
            Files.createDirectories(dir);
            Files.write(dir.resolve(hex), content);
            return "sha256:" + hex;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path blobFile(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    /** Points {@code tag} at a manifest, replacing an existing tag of that name. */
    static void tag(Path layout, String tag, String digest, long size, String mediaType) {
        try {
            Files.createDirectories(layout);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Path indexFile = layout.resolve("index.json");
            ObjectNode index = Files.exists(indexFile) ? (ObjectNode) JSON.readTree(Files.readAllBytes(indexFile))
                    : JSON.createObjectNode().put("schemaVersion", 2);
            ArrayNode manifests = index.has("manifests") ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
            for (int i = manifests.size() - 1; i >= 0; i--) {
                if (tag.equals(manifests.get(i).path("annotations").path("org.opencontainers.image.ref.name").asString(""))) {
                    manifests.remove(i);
                }
            }
            manifests.addObject().put("mediaType", mediaType).put("digest", digest).put("size", size)
                    .putObject("annotations").put("org.opencontainers.image.ref.name", tag);
            Files.write(indexFile, JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
