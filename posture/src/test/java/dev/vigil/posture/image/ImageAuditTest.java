package dev.vigil.posture.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Manifests;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.source.PodTemplate;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning, running-digest drift, tag drift and signatures of workloads' images. */
class ImageAuditTest {

    static final KeyPair KEYS = TestImages.keyPair();

    @TempDir
    Path layout;

    List<String> audit(String yaml, ImageAudit audit) {
        return Manifests.parse(yaml).stream().map(PodTemplate::of).filter(Objects::nonNull)
                .flatMap(w -> audit.audit(w, List.of(w)).stream())
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

    /** Tags v1 (signed) and v2 (not) of docker.io/vigil/web in the layout; returns an audit against it. */
    ImageAudit signedV1UnsignedV2() throws Exception {
        v1 = TestImages.writeImage(layout, "v1", "web v1");
        TestImages.sign(layout, "docker.io/vigil/web", v1, KEYS.getPrivate());
        v2 = TestImages.writeImage(layout, "v2", "web v2");
        return new ImageAudit(OciLayout.open(layout),
                new CosignVerifier(CosignVerifier.readPublicKey(TestImages.pem(KEYS.getPublic()))));
    }

    String v1;
    String v2;

    @Test
    void tagDriftAndSignaturesAgainstALayout() throws Exception {
        ImageAudit audit = signedV1UnsignedV2();
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
    void aControllerIsCheckedAgainstWhatItsPodsRun() throws Exception {
        ImageAudit audit = signedV1UnsignedV2();
        List<PodTemplate> all = Manifests.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec: {template: {spec: {containers: [{name: app, image: "vigil/web:v2"}]}}}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-5d8f
                  namespace: shop
                  ownerReferences: [{kind: Deployment, name: web, controller: true}]
                spec: {template: {spec: {containers: [{name: app, image: "vigil/web:v2"}]}}}
                ---
                """ + pod("web-5d8f-x1", "vigil/web:v2", "docker.io/vigil/web@" + v1)
                .replace("metadata: {name: web-5d8f-x1, namespace: shop}",
                        "metadata: {name: web-5d8f-x1, namespace: shop, ownerReferences: [{kind: ReplicaSet, name: web-5d8f, controller: true}]}"))
                .stream().map(PodTemplate::of).toList();
        Map<String, List<PodTemplate>> runners = PodTemplate.byTopLevel(all);
        assertThat(PodTemplate.topLevel(all)).extracting(PodTemplate::key).containsExactly("Deployment/shop/web");
        assertThat(runners.get("Deployment/shop/web")).hasSize(3);
        List<Finding> f = audit.audit(PodTemplate.topLevel(all).getFirst(), runners.get("Deployment/shop/web"));
        assertThat(f).extracting(Finding::check).containsExactly("image.unpinned", "image.tag-drift", "image.signature-verified");
        assertThat(f.get(1).message()).isEqualTo("Deployment shop/web container app runs " + v1 + " but docker.io/vigil/web:v2 now names "
                + v2 + " in " + OciLayout.open(layout).describe());
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
