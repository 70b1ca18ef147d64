package dev.vigil.lab.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs the lab's images the way {@code cosign sign --key} does, so that image verification has real
 * signatures to check: a simple-signing payload naming the repository and the manifest digest, an
 * ECDSA P-256 signature over it (ASN.1 DER, base64) in the {@code dev.cosignproject.cosign/signature}
 * annotation of the payload layer, and a signature manifest that the layout tags
 * {@code sha256-<hex>.sig}, as cosign tags it in a registry.
 *
 * <p>The key pair is made once and kept beside the image cache ({@value #PRIVATE_KEY}, mode 0600, and
 * {@value #PUBLIC_KEY}, PEM as cosign writes them), so signatures stay valid across lab runs and
 * {@code vigil audit images --key …/cosign.pub} can check them.
 */
public final class ImageSigner {

    public static final String PRIVATE_KEY = "cosign.key";
    public static final String PUBLIC_KEY = "cosign.pub";
    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    private final PrivateKey privateKey;
    private final Path publicKeyFile;

    private ImageSigner(PrivateKey privateKey, Path publicKeyFile) {
        this.privateKey = privateKey;
        this.publicKeyFile = publicKeyFile;
    }

    /** The signer whose keys live in {@code dir}, making the pair on first use. */
    public static ImageSigner loadOrCreate(Path dir) {
        Path priv = dir.resolve(PRIVATE_KEY);
        Path pub = dir.resolve(PUBLIC_KEY);
        try {
            if (Files.isRegularFile(priv) && Files.isRegularFile(pub)) {
                byte[] der = Base64.getMimeDecoder().decode(Files.readString(priv)
                        .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").strip());
                return new ImageSigner(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)), pub);
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(PRIVATE_KEY + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new ImageSigner(pair.getPrivate(), pub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the lab signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the lab signing key in " + dir + " is unusable (" + e.getMessage()
                    + "): delete " + priv + " and " + pub + " to make a new pair", e);
        }
    }

    /** The PEM public key to verify the lab's signatures with. */
    public Path publicKey() {
        return publicKeyFile;
    }

    /** The public key itself. */
    public PublicKey readPublicKey() {
        try {
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(publicKeyFile)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").strip());
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + publicKeyFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(publicKeyFile + " is not an EC public key", e);
        }
    }

    /** The tag cosign gives the signature of {@code digest}: {@code sha256-<hex>.sig}. */
    public static String signatureTag(String digest) {
        return digest.replace(':', '-') + ".sig";
    }

    /** Writes the payload, its signature and the signature manifest of {@code image} into {@code layout}. */
    public Descriptor sign(OciLayout layout, BuiltImage image) {
        byte[] payload = payload(image.repository(), image.digest());
        Descriptor payloadBlob = layout.putBlob(SIMPLE_SIGNING, payload);
        Descriptor config = layout.putBlob(OciLayout.CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> layer = payloadBlob.toJson();
        layer.put("annotations", Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature(payload))));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciLayout.MANIFEST);
        manifest.put("config", config.toJson());
        manifest.put("layers", List.of(layer));
        return layout.putJson(OciLayout.MANIFEST, manifest);
    }

    /** The simple-signing payload cosign signs for {@code repository@digest}. */
    static byte[] payload(String repository, String digest) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("docker-reference", repository);
        Map<String, Object> img = new LinkedHashMap<>();
        img.put("docker-manifest-digest", digest);
        Map<String, Object> critical = new LinkedHashMap<>();
        critical.put("identity", identity);
        critical.put("image", img);
        critical.put("type", "cosign container image signature");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("critical", critical);
        doc.put("optional", null);
        return OciLayout.JSON.writeValueAsBytes(doc);
    }

    private byte[] signature(byte[] payload) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(privateKey);
            s.update(payload);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the lab key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
