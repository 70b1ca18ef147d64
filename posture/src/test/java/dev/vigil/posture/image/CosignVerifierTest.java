package dev.vigil.posture.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.image.CosignVerifier.Status;
import dev.vigil.testkit.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key-based cosign verification over OCI layouts on disk and over a loopback registry. */
class CosignVerifierTest {

    static final KeyPair KEYS = TestImages.keyPair();
    static final String REPO = "vigil/web";

    @TempDir
    Path layout;
    String digest;
    CosignVerifier verifier;

    @BeforeEach
    void signedImage() throws Exception {
        digest = TestImages.writeImage(layout, "v1", "layer of web v1");
        TestImages.sign(layout, "registry.example/vigil/web", digest, KEYS.getPrivate());
        verifier = new CosignVerifier(CosignVerifier.readPublicKey(TestImages.pem(KEYS.getPublic())));
    }

    CosignVerifier.Result verify() throws IOException {
        return verifier.verify(OciLayout.open(layout), REPO, digest);
    }

    @Test
    void signedImageVerifies() throws Exception {
        var r = verify();
        assertThat(r.status()).as(r.message()).isEqualTo(Status.VERIFIED);
        assertThat(r.identity()).isEqualTo("registry.example/vigil/web");
        assertThat(r.message()).isEqualTo("signed by the key as registry.example/vigil/web@" + digest);
    }

    @Test
    void otherKeyDoesNotVerify() throws Exception {
        var other = new CosignVerifier(TestImages.keyPair().getPublic());
        var r = other.verify(OciLayout.open(layout), REPO, digest);
        assertThat(r.status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(r.message()).contains("does not verify with the key");
    }

    @Test
    void unsignedImage() throws Exception {
        String plain = TestImages.writeImage(layout, "v2", "layer of web v2");
        var r = verifier.verify(OciLayout.open(layout), REPO, plain);
        assertThat(r.status()).isEqualTo(Status.UNSIGNED);
        assertThat(r.message()).startsWith("no signature: tag sha256-" + plain.substring(7) + ".sig not found");
    }

    @Test
    void modifiedLayerIsTampered() throws Exception {
        Path layer = layerFile();
        Files.writeString(layer, "layer of web v1 with a backdoor");
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.TAMPERED);
        assertThat(r.message()).contains("the layer or config was modified");
    }

    @Test
    void modifiedManifestIsTampered() throws Exception {
        Path manifest = TestImages.blobFile(layout, digest);
        Files.writeString(manifest, Files.readString(manifest).replace("\"size\"", "\"size\" "));
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.TAMPERED);
        assertThat(r.message()).contains("the manifest was modified");
    }

    @Test
    void repointedTagWithCopiedSignatureIsCaught() throws Exception {
        String evil = TestImages.writeImage(layout, "v1", "layer of an attacker's image");
        // the attacker copies the good signature manifest to the new digest's .sig tag
        var good = new OciLayout(layout).manifest(REPO, digest.replace(':', '-') + ".sig").orElseThrow();
        TestImages.tag(layout, evil.replace(':', '-') + ".sig", TestImages.putBlob(layout, good.bytes()),
                good.bytes().length, "application/vnd.oci.image.manifest.v1+json");
        var r = verifier.verify(OciLayout.open(layout), REPO, evil);
        assertThat(r.status()).isEqualTo(Status.DIGEST_MISMATCH);
        assertThat(r.message()).contains("signs " + digest).contains("not the image's " + evil);
    }

    @Test
    void payloadSwappedUnderItsDigestFails() throws Exception {
        var sig = new OciLayout(layout).manifest(REPO, digest.replace(':', '-') + ".sig").orElseThrow();
        String payloadDigest = TestImages.JSON.readTree(sig.bytes()).path("layers").get(0).path("digest").asString();
        Files.writeString(TestImages.blobFile(layout, payloadDigest), "{\"critical\":{}}");
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(r.message()).contains("does not hash to its digest");
    }

    @Test
    void wrongPayloadTypeIsRejected() throws Exception {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"x\"},\"image\":{\"docker-manifest-digest\":\""
                + digest + "\"},\"type\":\"something else\"}}").getBytes(StandardCharsets.UTF_8);
        TestImages.writeSignatures(layout, digest, Map.of(payload, TestImages.signature(payload, KEYS.getPrivate())));
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(r.message()).contains("has type 'something else'");
    }

    @Test
    void oneGoodSignatureAmongBadOnesVerifies() throws Exception {
        Map<byte[], String> sigs = new LinkedHashMap<>();
        byte[] junk = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
        sigs.put(junk, TestImages.signature(junk, TestImages.keyPair().getPrivate()));
        byte[] good = ("{\"critical\":{\"identity\":{\"docker-reference\":\"r/vigil/web\"},\"image\":{\"docker-manifest-digest\":\""
                + digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        sigs.put(good, TestImages.signature(good, KEYS.getPrivate()));
        TestImages.writeSignatures(layout, digest, sigs);
        assertThat(verify().status()).isEqualTo(Status.VERIFIED);
    }

    @Test
    void signatureLayersBeyondTheLimitAreNotChecked() throws Exception {
        Map<byte[], String> sigs = new LinkedHashMap<>();
        for (int i = 0; i <= CosignVerifier.MAX_SIGNATURES; i++) {
            byte[] p = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            sigs.put(p, TestImages.signature(p, TestImages.keyPair().getPrivate()));
        }
        TestImages.writeSignatures(layout, digest, sigs);
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(r.message()).contains("more than MAX_SIGNATURES=32 signature layers");
    }

    @Test
    void payloadBeyondTheLimitIsRejected() throws Exception {
        byte[] big = new byte[CosignVerifier.MAX_PAYLOAD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        TestImages.writeSignatures(layout, digest, Map.of(big, TestImages.signature(big, KEYS.getPrivate())));
        var r = verify();
        assertThat(r.status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(r.message()).contains("exceeds MAX_PAYLOAD_BYTES=65536");
    }

    @Test
    void blobsBeyondTheLimitAreReported() throws Exception {
        var m = TestImages.JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        var layers = m.putArray("layers");
        byte[] blob = "x".getBytes(StandardCharsets.UTF_8);
        String d = TestImages.putBlob(layout, blob);
        for (int i = 0; i <= CosignVerifier.MAX_BLOBS; i++) {
            layers.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar").put("digest", d).put("size", 1);
        }
        byte[] manifest = TestImages.JSON.writeValueAsBytes(m);
        String big = TestImages.putBlob(layout, manifest);
        var r = verifier.verify(OciLayout.open(layout), REPO, big);
        assertThat(r.status()).isEqualTo(Status.TAMPERED);
        assertThat(r.message()).isEqualTo("more than MAX_BLOBS=1024 blobs; image not fully checked");
    }

    @Test
    void indexesNestedBeyondTheLimitAreReported() throws Exception {
        String child = digest;
        for (int depth = 0; depth <= CosignVerifier.MAX_INDEX_DEPTH; depth++) {
            var index = TestImages.JSON.createObjectNode().put("schemaVersion", 2)
                    .put("mediaType", "application/vnd.oci.image.index.v1+json");
            index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                    .put("digest", child).put("size", 1);
            child = TestImages.putBlob(layout, TestImages.JSON.writeValueAsBytes(index));
            if (depth == CosignVerifier.MAX_INDEX_DEPTH - 1) {
                TestImages.sign(layout, "r/vigil/web", child, KEYS.getPrivate());
                assertThat(verifier.verify(OciLayout.open(layout), REPO, child).status()).as("at the limit").isEqualTo(Status.VERIFIED);
            }
        }
        var r = verifier.verify(OciLayout.open(layout), REPO, child);
        assertThat(r.message()).isEqualTo("image index nested deeper than MAX_INDEX_DEPTH=2");
    }

    @Test
    void manifestBeyondTheLimitIsAnError() throws Exception {
        byte[] huge = new byte[(int) OciLayout.MAX_MANIFEST_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        String d = TestImages.putBlob(layout, huge);
        var r = verifier.verify(OciLayout.open(layout), REPO, d);
        assertThat(r.status()).isEqualTo(Status.ERROR);
        assertThat(r.message()).contains("exceeds MAX_MANIFEST_BYTES=4194304");
    }

    @Test
    void registryAnonymous() throws Exception {
        try (var registry = new LayoutRegistry(layout, null, null)) {
            var client = new RegistryClient(registry.uri(), null, null);
            var r = verifier.verify(client, REPO, digest);
            assertThat(r.status()).as(r.message()).isEqualTo(Status.VERIFIED);
            Files.writeString(layerFile(), "changed");
            assertThat(verifier.verify(client, REPO, digest).status()).isEqualTo(Status.TAMPERED);
        }
    }

    @Test
    void registryWithBearerTokenFlow() throws Exception {
        try (var registry = new LayoutRegistry(layout, "reader", "s3cret")) {
            var r = verifier.verify(new RegistryClient(registry.uri(), "reader", "s3cret"), REPO, digest);
            assertThat(r.status()).as(r.message()).isEqualTo(Status.VERIFIED);
            assertThat(registry.tokenRequests.get()).as("token cached per scope").isEqualTo(1);

            var denied = verifier.verify(new RegistryClient(registry.uri(), "reader", "wrong"), REPO, digest);
            assertThat(denied.status()).isEqualTo(Status.ERROR);
            assertThat(denied.message()).contains("answered 401").contains("check the registry credentials");
        }
    }

    @Test
    void registryWithBasicAuth() throws Exception {
        try (var registry = new LayoutRegistry(layout, LayoutRegistry.Auth.BASIC, "reader", "s3cret")) {
            assertThat(verifier.verify(new RegistryClient(registry.uri(), "reader", "s3cret"), REPO, digest).status())
                    .isEqualTo(Status.VERIFIED);
            var anonymous = verifier.verify(new RegistryClient(registry.uri(), null, null), REPO, digest);
            assertThat(anonymous.status()).isEqualTo(Status.ERROR);
            assertThat(anonymous.message()).contains("pass --registry-user and --registry-password");
        }
    }

    @Test
    void tokenBeyondTheLimitIsRefused() throws Exception {
        try (var registry = new LayoutRegistry(layout, "reader", "s3cret")) {
            registry.token = "t".repeat(RegistryClient.MAX_TOKEN_BYTES);
            var r = verifier.verify(new RegistryClient(registry.uri(), "reader", "s3cret"), REPO, digest);
            assertThat(r.status()).isEqualTo(Status.ERROR);
            assertThat(r.message()).contains("with more than MAX_TOKEN_BYTES=65536");
        }
    }

    @Test
    void registryTagResolvesToTheSameDigest() throws Exception {
        try (var registry = new LayoutRegistry(layout, null, null)) {
            var m = new RegistryClient(registry.uri(), null, null).manifest(REPO, "v1").orElseThrow();
            assertThat(CosignVerifier.sha256(m.bytes())).isEqualTo(digest);
            assertThat(new RegistryClient(registry.uri(), null, null).manifest(REPO, "nope")).isEmpty();
        }
    }

    /**
     * Mutated signature manifests and payloads never throw; a mutation verifies only when it left the
     * signed content intact (the payload and its signature are what cosign signs, not the manifest).
     */
    @RepeatedTest(100)
    void mutatedSignaturesVerifyOnlyWhenTheSignedContentSurvives(RepetitionInfo info) throws Exception {
        long seed = 0xC05161L + info.getCurrentRepetition();
        SplittableRandom rnd = new SplittableRandom(seed);
        String tag = digest.replace(':', '-') + ".sig";
        var sig = new OciLayout(layout).manifest(REPO, tag).orElseThrow();
        var layer = TestImages.JSON.readTree(sig.bytes()).path("layers").get(0);
        String payloadDigest = layer.path("digest").asString();
        String signature = layer.path("annotations").path("dev.cosignproject.cosign/signature").asString();
        byte[] payload = Files.readAllBytes(TestImages.blobFile(layout, payloadDigest));
        boolean intact;
        if (rnd.nextBoolean()) {
            byte[] mutated = Mutations.mutate(rnd, sig.bytes());
            TestImages.tag(layout, tag, TestImages.putBlob(layout, mutated), mutated.length, "application/json");
            intact = signatureLayerIntact(mutated, payloadDigest, signature);
        } else {
            byte[] mutated = Mutations.mutate(rnd, payload);
            TestImages.writeSignatures(layout, digest, Map.of(mutated, signature));
            intact = java.util.Arrays.equals(mutated, payload);
        }
        var r = verify();
        if (!intact) {
            assertThat(r.status()).as("seed %d: %s", seed, r.message()).isNotEqualTo(Status.VERIFIED);
        }
        assertThat(r.status()).as("seed %d: %s", seed, r.message()).isNotEqualTo(Status.ERROR);
    }

    private static boolean signatureLayerIntact(byte[] manifest, String payloadDigest, String signature) {
        try {
            for (var l : TestImages.JSON.readTree(manifest).path("layers")) {
                if (l.path("digest").asString("").equals(payloadDigest)
                        && l.path("annotations").path("dev.cosignproject.cosign/signature").asString("").equals(signature)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Path layerFile() throws IOException {
        var m = TestImages.JSON.readTree(Files.readAllBytes(TestImages.blobFile(layout, digest)));
        return TestImages.blobFile(layout, m.path("layers").get(0).path("digest").asString());
    }
}
