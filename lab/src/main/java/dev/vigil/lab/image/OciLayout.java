package dev.vigil.lab.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image layout on disk (image-spec v1.1 {@code image-layout.md}): {@code oci-layout},
 * {@code index.json} and content-addressed {@code blobs/sha256/<hex>}. Blobs are written to a
 * temporary file while hashed and renamed into place, so a crash never leaves a blob whose name
 * is not its digest. JSON documents are written with a fixed key order, so digests are stable.
 */
public final class OciLayout {

    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER = "application/vnd.oci.image.layer.v1.tar";
    /** Annotation holding the tag, as the OCI spec suggests. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Annotation holding the full reference, as containerd writes it. */
    public static final String IMAGE_NAME = "io.containerd.image.name";

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;

    /** Opens (creating when absent) the layout at {@code dir}. */
    public OciLayout(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            Path marker = dir.resolve("oci-layout");
            if (!Files.exists(marker)) {
                Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the OCI layout at " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Where the blob with this {@code sha256:} digest lives. */
    public Path blobPath(String digest) {
        if (!digest.startsWith("sha256:") || digest.length() != 71) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return dir.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    public boolean hasBlob(String digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    public byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("blob " + digest + " is missing from " + dir, e);
        }
    }

    /** Stores {@code bytes} under their digest. */
    public Descriptor putBlob(String mediaType, byte[] bytes) {
        return writeBlob(mediaType, out -> out.write(bytes));
    }

    /** Stores a JSON document (maps keep their insertion order) under its digest. */
    public Descriptor putJson(String mediaType, Map<String, Object> document) {
        return putBlob(mediaType, JSON.writeValueAsBytes(document));
    }

    /** Writes the layer as a deterministic tarball and stores it under its digest (= its diff id). */
    public Descriptor putLayer(LayerContent layer) {
        return writeBlob(LAYER, out -> {
            try (TarWriter tar = new TarWriter(out)) {
                for (var e : layer.entries().entrySet()) {
                    String name = e.getKey().substring(1);
                    switch (e.getValue()) {
                        case LayerContent.Dir d -> tar.directory(name, d.mode(), d.uid(), d.gid());
                        case LayerContent.HostFile f -> tar.file(name, f.mode(), f.uid(), f.gid(), f.source());
                        case LayerContent.Content c -> tar.file(name, c.mode(), c.uid(), c.gid(), c.bytes());
                        case LayerContent.Symlink s -> tar.symlink(name, s.target(), 0, 0);
                    }
                }
            }
        });
    }

    /** Replaces {@code index.json} with these manifests, each annotated with its reference. */
    public void writeIndex(List<BuiltImage> images) {
        writeIndex(images, Map.of());
    }

    /**
     * Replaces {@code index.json} with these manifests and, for each image with an entry in
     * {@code signatures} (by manifest digest), its signature manifest tagged {@code sha256-<hex>.sig}.
     */
    public void writeIndex(List<BuiltImage> images, Map<String, Descriptor> signatures) {
        List<Object> manifests = new ArrayList<>();
        for (BuiltImage image : images) {
            manifests.add(entry(image.manifest(), image.reference(), image.tag()));
        }
        for (BuiltImage image : images) {
            Descriptor sig = signatures.get(image.digest());
            if (sig != null) {
                String tag = ImageSigner.signatureTag(image.digest());
                manifests.add(entry(sig, image.repository() + ":" + tag, tag));
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX);
        index.put("manifests", manifests);
        try {
            Path tmp = dir.resolve("index.json.tmp");
            Files.write(tmp, JSON.writeValueAsBytes(index));
            Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("index.json"), e);
        }
    }

    private static Map<String, Object> entry(Descriptor manifest, String reference, String tag) {
        Map<String, Object> m = manifest.toJson();
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(IMAGE_NAME, reference);
        annotations.put(REF_NAME, tag);
        m.put("annotations", annotations);
        return m;
    }

    /** The signature manifests listed in {@code index.json}, by the digest of the image they sign. */
    public Map<String, Descriptor> readSignatures() {
        Map<String, Descriptor> out = new LinkedHashMap<>();
        for (JsonNode m : index().path("manifests")) {
            String tag = m.path("annotations").path(REF_NAME).asString("");
            if (tag.startsWith("sha256-") && tag.endsWith(".sig")) {
                out.put("sha256:" + tag.substring(7, tag.length() - 4), descriptor(m));
            }
        }
        return out;
    }

    private JsonNode index() {
        Path index = dir.resolve("index.json");
        if (!Files.exists(index)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + index, e);
        }
    }

    /** The images listed in {@code index.json} (signatures left out), read back from their manifests and configs. */
    public List<BuiltImage> readIndex() {
        List<BuiltImage> images = new ArrayList<>();
        for (JsonNode m : index().path("manifests")) {
            if (m.path("annotations").path(REF_NAME).asString("").endsWith(".sig")) {
                continue;
            }
            String ref = m.path("annotations").path(IMAGE_NAME).asString();
            int colon = ref.lastIndexOf(':');
            Descriptor manifest = descriptor(m);
            JsonNode doc = JSON.readTree(readBlob(manifest.digest()));
            Descriptor config = descriptor(doc.path("config"));
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : doc.path("layers")) {
                layers.add(descriptor(l));
            }
            JsonNode c = JSON.readTree(readBlob(config.digest())).path("config");
            ImageConfig ic = new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                    c.path("User").asString(), c.path("WorkingDir").asString(),
                    new ArrayList<>(c.path("ExposedPorts").propertyNames()));
            images.add(new BuiltImage(ref.substring(0, colon), ref.substring(colon + 1), manifest, config, layers, ic));
        }
        return images;
    }

    /** Computes the sha256 digest of a file, {@code sha256:<hex>}. */
    public static String digestOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
    }

    static String digestOf(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static String digestOf(String text) {
        return digestOf(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private interface BlobWriter {
        void write(OutputStream out) throws IOException;
    }

    private Descriptor writeBlob(String mediaType, BlobWriter writer) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir.resolve("blobs/sha256"), ".incoming-", ".tmp");
            MessageDigest md = sha256();
            long size;
            try (var counting = new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16));
                 var out = new DigestOutputStream(counting, md)) {
                writer.write(out);
                out.flush();
                size = counting.count;
            }
            String digest = "sha256:" + HexFormat.of().formatHex(md.digest());
            Path target = blobPath(digest);
            if (Files.exists(target)) {
                Files.delete(tmp);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Descriptor(mediaType, digest, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a blob into " + dir, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: an orphaned temp file never shadows a blob
                }
            }
        }
    }

    private static Descriptor descriptor(JsonNode n) {
        return new Descriptor(n.path("mediaType").asString(), n.path("digest").asString(), n.path("size").asLong());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            out.add(s.asString());
        }
        return out;
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
