package dev.vigil.lab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.lab.command.Command;
import dev.vigil.testkit.Requirements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class OciLayoutTest {

    @TempDir
    Path tmp;

    private static ImageSpec sample(String marker) {
        LayerContent base = new LayerContent("base")
                .dir("/tmp", 01777, 0, 0)
                .file("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)
                .symlink("/bin", "usr/bin")
                .file("/usr/bin/hello", "#!/bin/sh\necho " + marker + "\n", 0755);
        LayerContent app = new LayerContent("app")
                .file("/srv/" + "deep/".repeat(30) + "index.html", "<p>" + marker + "</p>", 0644)
                .file("/var/lib/data/owned", new byte[] {1, 2, 3}, 0600, 999, 998);
        ImageConfig config = new ImageConfig(List.of("/usr/bin/hello"), List.of(), List.of("PATH=/usr/bin"),
                "999:998", "/", List.of("80/tcp"));
        return new ImageSpec("vigil.test/sample", "1", List.of(base, app), config);
    }

    @Test
    void sameInputsGiveSameDigestsInAnotherLayout() {
        BuiltImage a = new ImageStore(tmp.resolve("a")).build(List.of(sample("x"))).getFirst();
        BuiltImage b = new ImageStore(tmp.resolve("b")).build(List.of(sample("x"))).getFirst();
        assertThat(a.digest()).isEqualTo(b.digest());
        assertThat(a.layers()).isEqualTo(b.layers());
        assertThat(a.config()).isEqualTo(b.config());
        BuiltImage c = new ImageStore(tmp.resolve("c")).build(List.of(sample("y"))).getFirst();
        assertThat(c.digest()).isNotEqualTo(a.digest());
        assertThat(c.layers().getFirst()).isNotEqualTo(a.layers().getFirst());
    }

    @Test
    void everyBlobIsNamedByItsDigestAndManifestPointsAtThem() throws Exception {
        ImageStore store = new ImageStore(tmp);
        BuiltImage img = store.build(List.of(sample("x"))).getFirst();
        OciLayout layout = store.layout();
        try (var blobs = Files.list(layout.dir().resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                assertThat(OciLayout.digestOf(blob)).isEqualTo("sha256:" + blob.getFileName());
            }
        }
        JsonNode manifest = OciLayout.JSON.readTree(layout.readBlob(img.digest()));
        assertThat(manifest.path("mediaType").asString()).isEqualTo(OciLayout.MANIFEST);
        assertThat(manifest.path("config").path("digest").asString()).isEqualTo(img.config().digest());
        assertThat(manifest.path("config").path("size").asLong()).isEqualTo(Files.size(layout.blobPath(img.config().digest())));
        assertThat(manifest.path("layers")).hasSize(2);
        for (Descriptor l : img.layers()) {
            assertThat(Files.size(layout.blobPath(l.digest()))).isEqualTo(l.size());
        }
        JsonNode config = OciLayout.JSON.readTree(layout.readBlob(img.config().digest()));
        assertThat(config.path("rootfs").path("diff_ids").get(1).asString()).isEqualTo(img.layers().get(1).digest());
        assertThat(config.path("config").path("User").asString()).isEqualTo("999:998");
        JsonNode index = OciLayout.JSON.readTree(Files.readAllBytes(layout.dir().resolve("index.json")));
        assertThat(index.path("manifests").get(0).path("digest").asString()).isEqualTo(img.digest());
        assertThat(index.path("manifests").get(0).path("annotations").path(OciLayout.IMAGE_NAME).asString())
                .isEqualTo("vigil.test/sample:1");
        assertThat(Files.readString(layout.dir().resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
        assertThat(store.list()).containsExactly(img);
    }

    @Test
    void cachedLayerIsReusedAndRebuiltWhenInputsChange() throws Exception {
        Path data = Files.writeString(tmp.resolve("data.txt"), "one");
        ImageStore store = new ImageStore(tmp.resolve("store"));
        LayerContent layer = new LayerContent("host").hostPath(data.toString());
        String k1 = ImageStore.cacheKey(layer);
        assertThat(ImageStore.cacheKey(new LayerContent("host").hostPath(data.toString()))).isEqualTo(k1);
        Files.writeString(data, "two!");
        assertThat(ImageStore.cacheKey(new LayerContent("host").hostPath(data.toString()))).isNotEqualTo(k1);
        ImageConfig cfg = new ImageConfig(List.of(), List.of("true"), List.of(), "0:0", "/", List.of());
        BuiltImage first = store.build(List.of(new ImageSpec("r", "1", List.of(new LayerContent("host").hostPath(data.toString())), cfg))).getFirst();
        BuiltImage again = store.build(List.of(new ImageSpec("r", "1", List.of(new LayerContent("host").hostPath(data.toString())), cfg))).getFirst();
        assertThat(again.digest()).isEqualTo(first.digest());
    }

    @Test
    void unpackedLayersKeepOwnersModesAndLinks() throws Exception {
        Requirements.requireRoot();
        ImageStore store = new ImageStore(tmp);
        BuiltImage img = store.build(List.of(sample("x"))).getFirst();
        List<Path> dirs = store.unpackedLayers(img);
        assertThat(dirs).hasSize(2);
        Path app = dirs.get(0);
        Path base = dirs.get(1);
        Path owned = app.resolve("var/lib/data/owned");
        assertThat(Files.getAttribute(owned, "unix:uid")).isEqualTo(999);
        assertThat(Files.getAttribute(owned, "unix:gid")).isEqualTo(998);
        assertThat((Integer) Files.getAttribute(owned, "unix:mode") & 07777).isEqualTo(0600);
        assertThat((Integer) Files.getAttribute(base.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
        assertThat(Files.readSymbolicLink(base.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(Files.readString(app.resolve("srv/" + "deep/".repeat(30) + "index.html"))).isEqualTo("<p>x</p>");
        assertThat(Files.isSymbolicLink(base.resolve("bin"))).isTrue();
        assertThat(Files.exists(base.resolve("usr/bin/hello"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void gnuTarReadsTheLayerWithFixedOwnersAndTimes() throws Exception {
        Requirements.requireCommands("tar");
        ImageStore store = new ImageStore(tmp);
        BuiltImage img = store.build(List.of(sample("x"))).getFirst();
        Path layer = store.layout().blobPath(img.layers().get(1).digest());
        Command.Result r = Command.of("tar", "--numeric-owner", "--full-time", "-tvf", layer.toString()).env("TZ", "UTC").run();
        assertThat(r.stdout()).contains("-rw------- 999/998").contains("2024-01-01 00:00:00")
                .contains("srv/" + "deep/".repeat(30) + "index.html").contains("var/lib/data/owned");
        List<String> names = Command.of("tar", "-tf", layer.toString()).run().stdout().lines().toList();
        assertThat(names).isSorted();
    }

    @Test
    void tarRoundTripKeepsLongLinkTargets() throws Exception {
        Requirements.requireRoot();
        String longTarget = "../" + "x".repeat(150);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(buf)) {
            w.directory("d", 0755, 0, 0);
            w.symlink("d/link", longTarget, 0, 0);
            w.file("d/f", 04755, 0, 0, "abc".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(buf.size() % 512).isZero();
        TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), tmp.resolve("out"));
        assertThat(Files.readSymbolicLink(tmp.resolve("out/d/link")).toString()).isEqualTo(longTarget);
        assertThat((Integer) Files.getAttribute(tmp.resolve("out/d/f"), "unix:mode") & 07777).isEqualTo(04755);
    }

    @Test
    void extractorRejectsEntriesEscapingTheTarget() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(buf)) {
            w.file("../evil", 0644, 0, 0, new byte[] {1});
        }
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(buf.toByteArray()), tmp.resolve("out")))
                .hasMessageContaining("escapes the target directory: ../evil");
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void binaryBringsItsSharedLibrariesThroughMergedUsr() {
        Requirements.requireCommands("ldd", "redis-cli");
        LayerContent layer = new LayerContent("clients").binary("/usr/bin/redis-cli");
        var entries = layer.entries();
        assertThat(entries).containsKey("/usr/bin/redis-cli");
        assertThat(entries.keySet()).anyMatch(p -> p.matches("/usr/lib/x86_64-linux-gnu/libc\\.so\\.6"));
        assertThat(entries.get("/lib64")).isInstanceOf(LayerContent.Symlink.class);
        assertThat(entries.keySet()).anyMatch(p -> p.endsWith("ld-linux-x86-64.so.2") && entries.get(p) instanceof LayerContent.HostFile);
    }
}
