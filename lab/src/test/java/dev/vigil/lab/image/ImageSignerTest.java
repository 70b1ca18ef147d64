package dev.vigil.lab.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The lab signs what it builds, cosign-style, with one key pair kept beside the cache. */
class ImageSignerTest {

    @TempDir
    Path tmp;

    static ImageSpec image(String repository, String text) {
        return new ImageSpec(repository, "1.0", List.of(new LayerContent("only").file("/hello", text, 0644)),
                new ImageConfig(List.of("/hello"), List.of(), List.of(), "0:0", "/", List.of()));
    }

    @Test
    void everyBuiltImageGetsASignatureTagThatVerifiesWithTheLabKey() throws Exception {
        ImageStore store = new ImageStore(tmp);
        List<BuiltImage> built = store.build(List.of(image("vigil.test/a/one", "1"), image("vigil.test/a/two", "2")));
        OciLayout layout = store.layout();
        assertThat(layout.readIndex()).as("signatures are not images").extracting(BuiltImage::reference)
                .containsExactly("vigil.test/a/one:1.0", "vigil.test/a/two:1.0");
        var signatures = layout.readSignatures();
        for (BuiltImage image : built) {
            JsonNode manifest = OciLayout.JSON.readTree(layout.readBlob(signatures.get(image.digest()).digest()));
            JsonNode layer = manifest.path("layers").get(0);
            assertThat(layer.path("mediaType").asString()).isEqualTo(ImageSigner.SIMPLE_SIGNING);
            byte[] payload = layout.readBlob(layer.path("digest").asString());
            JsonNode critical = OciLayout.JSON.readTree(payload).path("critical");
            assertThat(critical.path("image").path("docker-manifest-digest").asString()).isEqualTo(image.digest());
            assertThat(critical.path("identity").path("docker-reference").asString()).isEqualTo(image.repository());
            assertThat(critical.path("type").asString()).isEqualTo("cosign container image signature");
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(store.signer().readPublicKey());
            s.update(payload);
            assertThat(s.verify(Base64.getDecoder().decode(
                    layer.path("annotations").path(ImageSigner.SIGNATURE_ANNOTATION).asString()))).isTrue();
        }
        String index = Files.readString(layout.dir().resolve("index.json"));
        assertThat(index).contains("\"org.opencontainers.image.ref.name\":\"" + ImageSigner.signatureTag(built.getFirst().digest()) + "\"");
    }

    @Test
    void theKeyPairIsMadeOnceAndTheSecretHalfIsPrivate() throws Exception {
        ImageStore store = new ImageStore(tmp);
        store.build(List.of(image("vigil.test/a/one", "1")));
        String pub = Files.readString(store.signer().publicKey());
        store.build(List.of(image("vigil.test/a/two", "2")));
        assertThat(Files.readString(store.signer().publicKey())).isEqualTo(pub).startsWith("-----BEGIN PUBLIC KEY-----");
        Path secret = tmp.resolve("signing").resolve(ImageSigner.PRIVATE_KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(store.layout().readSignatures()).as("both images signed after the second build").hasSize(2);
    }

    @Test
    void payloadIsTheSimpleSigningDocument() {
        assertThat(new String(ImageSigner.payload("vigil.test/a/one", "sha256:" + "0".repeat(64)), StandardCharsets.UTF_8))
                .isEqualTo("{\"critical\":{\"identity\":{\"docker-reference\":\"vigil.test/a/one\"},\"image\":"
                        + "{\"docker-manifest-digest\":\"sha256:" + "0".repeat(64) + "\"},\"type\":"
                        + "\"cosign container image signature\"},\"optional\":null}");
    }
}
