package dev.vigil.posture;

import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.YamlReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Crafted clusters for tests: multi-document YAML from the test resources, read as the audits read files. */
public final class Manifests {

    private Manifests() {
    }

    public static List<KubeObject> resource(String name) {
        try (InputStream in = Manifests.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return read(name, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<KubeObject> parse(String yaml) {
        try {
            return read("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<KubeObject> read(String name, InputStream in) throws IOException {
        List<KubeObject> out = new ArrayList<>();
        YamlReader.read(name, in, new ObjectSink() {
            @Override
            public void object(KubeObject object) {
                out.add(object);
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                throw new IllegalArgumentException("bad test manifest: " + anomaly.display());
            }
        });
        return out;
    }
}
