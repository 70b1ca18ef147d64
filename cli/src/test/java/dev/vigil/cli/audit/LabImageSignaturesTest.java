package dev.vigil.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.lab.image.BuiltImage;
import dev.vigil.lab.image.ImageStore;
import dev.vigil.lab.topology.LabImages;
import dev.vigil.testkit.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's real images, built and signed by the lab's own image store (from the host's Debian
 * packages), verified by {@code vigil audit images}; tampering with a layer or a manifest is caught.
 */
class LabImageSignaturesTest {

    @TempDir
    Path cache;
    ImageStore store;
    Map<String, BuiltImage> images;

    @BeforeEach
    void buildLabImages() {
        Requirements.requireCommands("busybox", "curl", "redis-server");
        store = new ImageStore(cache);
        images = store.build(LabImages.specs().stream()
                        .filter(s -> s.reference().equals(LabImages.FRONTEND) || s.reference().equals(LabImages.REDIS)).toList())
                .stream().collect(Collectors.toMap(BuiltImage::reference, i -> i));
    }

    List<String> audit(String... extra) throws IOException {
        Path out = cache.resolve("report-" + System.nanoTime() + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("audit", "images", "--key", store.signer().publicKey().toString(),
                "--layout", store.layout().dir().toString(), "--format", "json", "-o", out.toString()));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return Files.readAllLines(out);
    }

    static String line(List<String> report, String check, String name) {
        return report.stream().filter(l -> l.contains("\"check\":\"" + check + "\"") && l.contains(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " for " + name + " in " + report));
    }

    @Test
    void realLabImagesVerifyByTagAndByRunningDigest() throws IOException {
        List<String> report = audit("--image", LabImages.FRONTEND, "--image", LabImages.REDIS);
        assertThat(line(report, "image.signature-verified", "frontend"))
                .contains("signed by the key as vigil.test/shop/frontend@" + images.get(LabImages.FRONTEND).digest());
        assertThat(line(report, "image.signature-verified", "redis")).contains(images.get(LabImages.REDIS).digest());

        Path pods = cache.resolve("pods.yaml");
        BuiltImage frontend = images.get(LabImages.FRONTEND);
        Files.writeString(pods, """
                apiVersion: v1
                kind: Pod
                metadata: {name: frontend, namespace: shop}
                spec:
                  containers: [{name: web, image: "%s"}]
                status:
                  containerStatuses: [{name: web, image: "%s", imageID: "%s", ready: true, restartCount: 0}]
                """.formatted(frontend.reference(), frontend.reference(), frontend.imageId()));
        List<String> podReport = audit("-f", pods.toString());
        assertThat(line(podReport, "image.signature-verified", "frontend")).contains("\"kind\":\"Pod\"");
        assertThat(podReport).noneMatch(l -> l.contains("image.tag-drift"));
    }

    @Test
    void tamperedLayerIsCaught() throws IOException {
        BuiltImage frontend = images.get(LabImages.FRONTEND);
        Path layer = store.layout().blobPath(frontend.layers().getLast().digest());
        Files.writeString(layer, "backdoor", StandardOpenOption.APPEND);
        List<String> report = audit("--image", LabImages.FRONTEND, "--image", LabImages.REDIS);
        assertThat(line(report, "image.tampered", "frontend"))
                .contains("\"severity\":\"critical\"", "blob " + frontend.layers().getLast().digest() + " hashes to",
                        "the layer or config was modified");
        assertThat(line(report, "image.signature-verified", "redis")).as("other images unaffected").isNotEmpty();
    }

    @Test
    void tamperedManifestIsCaught() throws IOException {
        BuiltImage redis = images.get(LabImages.REDIS);
        Path manifest = store.layout().blobPath(redis.digest());
        Files.writeString(manifest, Files.readString(manifest).replace("\"schemaVersion\":2", "\"schemaVersion\": 2"));
        List<String> report = audit("--image", LabImages.REDIS);
        assertThat(line(report, "image.tampered", "redis")).contains("the manifest was modified");
    }
}
