package dev.vigil.posture.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import dev.vigil.posture.podspec.PodTemplates;
import dev.vigil.posture.report.Finding;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning, running-digest drift, tag drift and signatures of workloads' images. */
class ImageAuditTest {

    static final KeyPair KEYS = TestImages.keyPair();

    @TempDir
    Path layout;

    List<String> audit(String yaml, ImageAudit audit) {
        return Manifests.parse(yaml).stream().flatMap(o -> PodTemplates.of(o).stream())
                .flatMap(w -> audit.audit(w).stream())
                .map(f -> f.check() + " " + f.severity() + " " + f.resource().display()).toList();
    }

    static String pod(String name, String image, String imageId) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop}
                spec:
                  containers: [{name: app, image: "%s"}]
                status:
                  containerStatuses: [{name: app, image: "%s", imageID: "%s", ready: true, restartCount: 0}]
                """.formatted(name, image, image, imageId);
    }

    @Test
    void pinningAndDriftWithoutASource() {
        String pinned = "sha256:" + "a".repeat(64);
        String other = "sha256:" + "b".repeat(64);
        String yaml = pod("tagged", "nginx:1.27", "docker.io/library/nginx@" + other) + "---\n"
                + pod("pinned-ok", "nginx@" + pinned, "docker-pullable://nginx@" + pinned) + "---\n"
                + pod("pinned-drift", "nginx@" + pinned, "docker.io/library/nginx@" + other) + "---\n"
                + pod("bad-ref", "nginx:", "");
        assertThat(audit(yaml, new ImageAudit(null, null))).containsExactly(
                "image.unpinned MEDIUM Pod shop/tagged",
                "image.digest-drift CRITICAL Pod shop/pinned-drift",
                "image.invalid-reference MEDIUM Pod shop/bad-ref");
    }

    @Test
    void tagDriftAndSignaturesAgainstALayout() throws Exception {
        String v1 = TestImages.writeImage(layout, "v1", "web v1");
        TestImages.sign(layout, "docker.io/vigil/web", v1, KEYS.getPrivate());
        String v2 = TestImages.writeImage(layout, "v2", "web v2");
        ImageAudit audit = new ImageAudit(OciLayout.open(layout),
                new CosignVerifier(CosignVerifier.readPublicKey(TestImages.pem(KEYS.getPublic()))));
        String yaml = pod("signed", "vigil/web@" + v1, "docker.io/vigil/web@" + v1) + "---\n"
                + pod("unsigned", "vigil/web@" + v2, "docker.io/vigil/web@" + v2) + "---\n"
                + pod("tag-moved", "vigil/web:v2", "docker.io/vigil/web@" + v1);
        assertThat(audit(yaml, audit)).containsExactly(
                "image.signature-verified INFO Pod shop/signed",
                "image.unsigned HIGH Pod shop/unsigned",
                "image.unpinned MEDIUM Pod shop/tag-moved",
                "image.tag-drift HIGH Pod shop/tag-moved",
                // the running digest is what gets verified: v1 is signed
                "image.signature-verified INFO Pod shop/tag-moved");
    }

    @Test
    void imageGivenDirectly() throws Exception {
        String v1 = TestImages.writeImage(layout, "v1", "web v1");
        TestImages.sign(layout, "docker.io/vigil/web", v1, KEYS.getPrivate());
        ImageAudit audit = new ImageAudit(OciLayout.open(layout),
                new CosignVerifier(CosignVerifier.readPublicKey(TestImages.pem(KEYS.getPublic()))));
        List<Finding> f = audit.audit("vigil/web:v1");
        assertThat(f).extracting(Finding::check).containsExactly("image.unpinned", "image.signature-verified");
        assertThat(audit.audit("vigil/web:nope")).extracting(Finding::check).containsExactly("image.unpinned", "image.verify-error");
    }

    @Test
    void referencesParseTheDockerWay() {
        assertThat(ImageReference.parse("nginx").toString()).isEqualTo("docker.io/library/nginx:latest");
        assertThat(ImageReference.parse("localhost:5000/a/b:1").registry()).isEqualTo("localhost:5000");
        assertThat(ImageReference.parse("ghcr.io/x/y@sha256:" + "c".repeat(64)).tag()).isNull();
        assertThat(ImageReference.parse("registry:5000/x").registry()).isEqualTo("registry:5000");
    }
}
