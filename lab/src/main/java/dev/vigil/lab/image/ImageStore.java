package dev.vigil.lab.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The lab's images: builds them into one OCI layout, lists them with their manifest digests, and
 * unpacks their layers for overlayfs.
 *
 * <p>Building a layer means reading every packed file, so layers are cached by their inputs: a key
 * over each entry's path, type, mode and owner plus, for host files, size and modification time
 * (for generated files, their content hash). When the key is known and its blob is still in the
 * layout, the layer is not rebuilt. Manifests and configs are tiny and always rewritten — they are
 * deterministic, so their digests only change when an input does.
 */
public final class ImageStore {

    private final Path cacheDir;
    private final OciLayout layout;

    /** A store under {@code cacheDir} ({@code oci/} layout, {@code layer-keys/}, unpacked {@code layers/}). */
    public ImageStore(Path cacheDir) {
        this.cacheDir = cacheDir;
        this.layout = new OciLayout(cacheDir.resolve("oci"));
    }

    public OciLayout layout() {
        return layout;
    }

    /**
     * Builds (or takes from the cache) every image, signs each one with the lab key ({@link #signer()};
     * signing anew each time keeps signatures valid for the current key), and writes images and
     * signatures to {@code index.json}.
     */
    public List<BuiltImage> build(List<ImageSpec> specs) {
        Map<String, BuiltImage> byRef = new LinkedHashMap<>();
        for (BuiltImage existing : layout.readIndex()) {
            byRef.put(existing.reference(), existing);
        }
        List<BuiltImage> built = new ArrayList<>();
        for (ImageSpec spec : specs) {
            BuiltImage image = build(spec);
            byRef.put(image.reference(), image);
            built.add(image);
        }
        Map<String, Descriptor> signatures = new LinkedHashMap<>();
        ImageSigner signer = signer();
        for (BuiltImage image : byRef.values()) {
            signatures.put(image.digest(), signer.sign(layout, image));
        }
        layout.writeIndex(new ArrayList<>(byRef.values()), signatures);
        return built;
    }

    /** The lab's image signing key, kept in {@code signing/} beside the layout (made on first use). */
    public ImageSigner signer() {
        return ImageSigner.loadOrCreate(cacheDir.resolve("signing"));
    }

    /** The images in the layout, as {@code index.json} lists them. */
    public List<BuiltImage> list() {
        return layout.readIndex();
    }

    /**
     * The unpacked layers of an image, top-most first (overlayfs {@code lowerdir} order). Each
     * layer is unpacked once, after checking that its blob still hashes to its digest.
     */
    public List<Path> unpackedLayers(BuiltImage image) {
        List<Path> dirs = new ArrayList<>();
        for (Descriptor layer : image.layers()) {
            dirs.addFirst(unpack(layer));
        }
        return dirs;
    }

    private BuiltImage build(ImageSpec spec) {
        List<Descriptor> layers = new ArrayList<>();
        List<Object> history = new ArrayList<>();
        for (LayerContent layer : spec.layers()) {
            layers.add(layer(layer));
            history.add(Map.of("created_by", "vigil lab image builder: " + layer.name()));
        }
        ImageConfig c = spec.config();
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("User", c.user());
        Map<String, Object> ports = new LinkedHashMap<>();
        c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
        runtime.put("ExposedPorts", ports);
        runtime.put("Env", c.env());
        runtime.put("Entrypoint", c.entrypoint());
        runtime.put("Cmd", c.cmd());
        runtime.put("WorkingDir", c.workingDir());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("config", runtime);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", layers.stream().map(Descriptor::digest).toList());
        config.put("rootfs", rootfs);
        config.put("history", history);
        Descriptor configBlob = layout.putJson(OciLayout.CONFIG, config);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciLayout.MANIFEST);
        manifest.put("config", configBlob.toJson());
        manifest.put("layers", layers.stream().map(Descriptor::toJson).toList());
        Descriptor manifestBlob = layout.putJson(OciLayout.MANIFEST, manifest);
        return new BuiltImage(spec.repository(), spec.tag(), manifestBlob, configBlob, layers, c);
    }

    private Descriptor layer(LayerContent layer) {
        String key = cacheKey(layer);
        Path keyFile = cacheDir.resolve("layer-keys").resolve(key.substring(7));
        try {
            if (Files.exists(keyFile)) {
                String[] cached = Files.readString(keyFile).strip().split(" ");
                if (cached.length == 2 && layout.hasBlob(cached[0])) {
                    return new Descriptor(OciLayout.LAYER, cached[0], Long.parseLong(cached[1]));
                }
            }
            Descriptor d = layout.putLayer(layer);
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, d.digest() + " " + d.size() + "\n");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache layer " + layer.name() + " in " + cacheDir, e);
        }
    }

    static String cacheKey(LayerContent layer) {
        MessageDigest md = OciLayout.sha256();
        StringBuilder sb = new StringBuilder("layer-v1 ").append(layer.name()).append('\n');
        for (var e : layer.entries().entrySet()) {
            sb.append(e.getKey()).append(' ');
            switch (e.getValue()) {
                case LayerContent.Dir d -> sb.append("dir ").append(d.mode()).append(' ').append(d.uid()).append(' ').append(d.gid());
                case LayerContent.Symlink s -> sb.append("link ").append(s.target());
                case LayerContent.Content c -> sb.append("data ").append(c.mode()).append(' ').append(c.uid()).append(' ')
                        .append(c.gid()).append(' ').append(OciLayout.digestOf(c.bytes()));
                case LayerContent.HostFile f -> {
                    BasicFileAttributes a = hostAttributes(f.source());
                    sb.append("host ").append(f.source()).append(' ').append(f.mode()).append(' ').append(a.size())
                            .append(' ').append(a.lastModifiedTime().toMillis());
                }
            }
            sb.append('\n');
        }
        md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private Path unpack(Descriptor layer) {
        String hex = layer.digest().substring(7);
        Path target = cacheDir.resolve("layers").resolve(hex);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path blob = layout.blobPath(layer.digest());
        String actual = OciLayout.digestOf(blob);
        if (!actual.equals(layer.digest())) {
            throw new IllegalStateException("layer blob " + blob + " hashes to " + actual + ", not " + layer.digest()
                    + ": the image cache is corrupt; remove " + cacheDir + " and run the lab again");
        }
        Path tmp = cacheDir.resolve("layers").resolve(hex + ".unpacking-" + ProcessHandle.current().pid());
        try {
            deleteTree(tmp);
            try (InputStream in = Files.newInputStream(blob)) {
                TarExtractor.extract(in, tmp);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack layer " + layer.digest() + " into " + target, e);
        }
    }

    private static BasicFileAttributes hostAttributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
