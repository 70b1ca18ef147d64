package dev.vigil.posture.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies an image the way {@code cosign verify --key} does for key-based signatures, and checks
 * that the image's content is what its digests say.
 *
 * <ol>
 *   <li>The manifest fetched for the digest must hash to that digest, and every blob it references
 *       (config, layers; child manifests of an index) must hash to its descriptor's digest and have
 *       its size: a modified layer or manifest fails here.</li>
 *   <li>The signature manifest is the tag {@code sha256-<hex>.sig} in the same repository. Each of its
 *       layers carrying the {@code dev.cosignproject.cosign/signature} annotation is a simple-signing
 *       payload; the payload blob must hash to the layer digest, and the base64 ASN.1 ECDSA P-256
 *       signature in the annotation must verify over the payload bytes with the public key.</li>
 *   <li>The payload must be of type {@code cosign container image signature} and its
 *       {@code critical.image.docker-manifest-digest} must equal the digest being verified: a valid
 *       signature for another digest (a re-pointed tag, a copied signature) does not count.</li>
 * </ol>
 *
 * <p>Limits: {@link #MAX_SIGNATURES} (default 32) signature layers, {@link #MAX_PAYLOAD_BYTES}
 * (default 64 KiB) per payload, {@link #MAX_BLOBS} (default 1024) blobs per image,
 * {@link #MAX_INDEX_DEPTH} (default 2) nested indexes.
 */
public final class CosignVerifier {

    public static final int MAX_SIGNATURES = 32;
    public static final int MAX_PAYLOAD_BYTES = 64 << 10;
    public static final int MAX_BLOBS = 1024;
    public static final int MAX_INDEX_DEPTH = 2;

    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String SIMPLE_SIGNING_TYPE = "cosign container image signature";
    public static final String SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PublicKey key;

    public CosignVerifier(PublicKey key) {
        this.key = key;
    }

    /** The outcome of verifying one image digest. */
    public enum Status {
        /** A signature by the key covers this digest and the content matches its digests. */
        VERIFIED,
        /** No {@code sha256-….sig} tag, or no signature layer in it. */
        UNSIGNED,
        /** Signature layers exist but none verifies with the key. */
        BAD_SIGNATURE,
        /** A signature verifies, but it signs another digest. */
        DIGEST_MISMATCH,
        /** The manifest or a blob does not hash to its digest, or is missing. */
        TAMPERED,
        /** The source could not be read. */
        ERROR
    }

    /**
     * @param identity the {@code docker-reference} of the verified payload, or null
     */
    public record Result(Status status, String digest, String message, String identity) {
    }

    /** Reads a PEM {@code PUBLIC KEY} (as {@code cosign generate-key-pair} writes {@code cosign.pub}); must be EC P-256. */
    public static PublicKey readPublicKey(String pem) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        if (b64.isEmpty() || !pem.contains("BEGIN PUBLIC KEY")) {
            throw new GeneralSecurityException("not a PEM public key (expected -----BEGIN PUBLIC KEY-----, as in cosign.pub)");
        }
        PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        if (!(k instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new GeneralSecurityException("the public key is not ECDSA P-256, which cosign key pairs use");
        }
        return k;
    }

    /** Verifies {@code digest} in {@code repository} of {@code source}. */
    public Result verify(ImageSource source, String repository, String digest) {
        try {
            String tampered = checkContent(source, repository, digest, 0, new int[1]);
            if (tampered != null) {
                return new Result(Status.TAMPERED, digest, tampered, null);
            }
            String sigTag = digest.replace(':', '-') + ".sig";
            Optional<ImageSource.Manifest> sig = source.manifest(repository, sigTag);
            if (sig.isEmpty()) {
                return new Result(Status.UNSIGNED, digest, "no signature: tag " + sigTag + " not found in "
                        + source.describe() + " (sign with cosign sign --key cosign.key)", null);
            }
            JsonNode layers;
            try {
                layers = JSON.readTree(sig.get().bytes()).path("layers");
            } catch (JacksonException e) {
                return new Result(Status.BAD_SIGNATURE, digest, "signature manifest " + sigTag
                        + " is not valid JSON: " + e.getOriginalMessage(), null);
            }
            List<String> failures = new ArrayList<>();
            String mismatch = null;
            int seen = 0;
            for (JsonNode layer : layers) {
                String b64 = layer.path("annotations").path(SIGNATURE_ANNOTATION).asString("");
                if (b64.isEmpty()) {
                    continue;
                }
                if (++seen > MAX_SIGNATURES) {
                    failures.add("more than MAX_SIGNATURES=" + MAX_SIGNATURES + " signature layers; the rest were not checked");
                    break;
                }
                String payloadDigest = layer.path("digest").asString("");
                byte[] payload = readPayload(source, repository, payloadDigest, failures);
                if (payload == null) {
                    continue;
                }
                if (!signatureValid(payload, b64)) {
                    failures.add("signature over payload " + payloadDigest + " does not verify with the key");
                    continue;
                }
                JsonNode critical;
                try {
                    critical = JSON.readTree(payload).path("critical");
                } catch (JacksonException e) {
                    failures.add("payload " + payloadDigest + " is signed but not valid JSON: " + e.getOriginalMessage());
                    continue;
                }
                String type = critical.path("type").asString("");
                String signed = critical.path("image").path("docker-manifest-digest").asString("");
                String identity = critical.path("identity").path("docker-reference").asString("");
                if (!type.equals(SIMPLE_SIGNING_TYPE)) {
                    failures.add("payload " + payloadDigest + " has type '" + type + "', not '" + SIMPLE_SIGNING_TYPE + "'");
                } else if (signed.equals(digest)) {
                    return new Result(Status.VERIFIED, digest, "signed by the key as " + identity + "@" + digest, identity);
                } else {
                    mismatch = "a valid signature signs " + signed + " (" + identity + "), not the image's " + digest
                            + ": the tag was re-pointed or the signature copied from another image";
                }
            }
            if (mismatch != null) {
                return new Result(Status.DIGEST_MISMATCH, digest, mismatch, null);
            }
            if (seen == 0) {
                return new Result(Status.UNSIGNED, digest, "signature manifest " + sigTag
                        + " has no layer with a " + SIGNATURE_ANNOTATION + " annotation", null);
            }
            return new Result(Status.BAD_SIGNATURE, digest, String.join("; ", failures), null);
        } catch (IOException | RuntimeException e) {
            return new Result(Status.ERROR, digest, "cannot read " + source.describe() + ": " + e.getMessage(), null);
        }
    }

    private boolean signatureValid(byte[] payload, String b64) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(payload);
            return s.verify(Base64.getDecoder().decode(b64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] readPayload(ImageSource source, String repository, String digest, List<String> failures)
            throws IOException {
        if (!ImageReference.isDigest(digest)) {
            failures.add("signature layer digest '" + digest + "' is not sha256:<64 hex>");
            return null;
        }
        Optional<InputStream> in = source.blob(repository, digest);
        if (in.isEmpty()) {
            failures.add("signature payload " + digest + " is missing");
            return null;
        }
        byte[] payload;
        try (InputStream s = in.get()) {
            payload = s.readNBytes(MAX_PAYLOAD_BYTES + 1);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            failures.add("signature payload " + digest + " exceeds MAX_PAYLOAD_BYTES=" + MAX_PAYLOAD_BYTES);
            return null;
        }
        if (!sha256(payload).equals(digest)) {
            failures.add("signature payload does not hash to its digest " + digest);
            return null;
        }
        return payload;
    }

    /** Null when the manifest and every blob under it match their digests, else what is wrong. */
    private static String checkContent(ImageSource source, String repository, String digest, int depth, int[] blobs)
            throws IOException {
        Optional<ImageSource.Manifest> m = source.manifest(repository, digest);
        if (m.isEmpty()) {
            return "manifest " + digest + " not found in " + source.describe();
        }
        String actual = sha256(m.get().bytes());
        if (!actual.equals(digest)) {
            return "manifest content hashes to " + actual + ", not " + digest + ": the manifest was modified";
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(m.get().bytes());
        } catch (JacksonException e) {
            return "manifest " + digest + " is not valid JSON: " + e.getOriginalMessage();
        }
        if (manifest.has("manifests")) {
            if (depth >= MAX_INDEX_DEPTH) {
                return "image index nested deeper than MAX_INDEX_DEPTH=" + MAX_INDEX_DEPTH;
            }
            for (JsonNode child : manifest.path("manifests")) {
                String problem = checkContent(source, repository, child.path("digest").asString(""), depth + 1, blobs);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        List<JsonNode> descriptors = new ArrayList<>();
        if (manifest.has("config")) {
            descriptors.add(manifest.path("config"));
        }
        manifest.path("layers").forEach(descriptors::add);
        for (JsonNode d : descriptors) {
            if (++blobs[0] > MAX_BLOBS) {
                return "more than MAX_BLOBS=" + MAX_BLOBS + " blobs; image not fully checked";
            }
            String problem = checkBlob(source, repository, d.path("digest").asString(""), d.path("size").asLong(-1));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String checkBlob(ImageSource source, String repository, String digest, long size) throws IOException {
        if (!ImageReference.isDigest(digest)) {
            return "blob digest '" + digest + "' is not sha256:<64 hex>";
        }
        Optional<InputStream> in = source.blob(repository, digest);
        if (in.isEmpty()) {
            return "blob " + digest + " is missing";
        }
        MessageDigest md = sha256();
        long n = 0;
        try (InputStream s = in.get()) {
            byte[] buf = new byte[64 << 10];
            for (int r; (r = s.read(buf)) > 0; ) {
                md.update(buf, 0, r);
                n += r;
            }
        }
        String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
        if (!actual.equals(digest)) {
            return "blob " + digest + " hashes to " + actual + ": the layer or config was modified";
        }
        if (size >= 0 && n != size) {
            return "blob " + digest + " is " + n + " bytes, its descriptor says " + size;
        }
        return null;
    }

    static String sha256(byte[] b) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(b));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
