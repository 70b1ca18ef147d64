package dev.vigil.posture.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadersTest {

    private static Collect yaml(String text) {
        Collect c = new Collect();
        try {
            YamlReader.read("t.yaml", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), c);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c;
    }

    private static Collect json(String text) {
        Collect c = new Collect();
        JsonReader.read("t.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), c);
        return c;
    }

    @Test
    void multiDocumentYamlCarriesDocumentAndLine() {
        Collect c = yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: ns}
                ---
                # only a comment
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: b
                """);
        assertThat(c.names()).containsExactly("Pod/a", "Deployment/b");
        assertThat(c.anomalies).isEmpty();
        assertThat(c.objects.get(0).namespace()).isEqualTo("ns");
        assertThat(c.objects.get(1).origin()).isEqualTo(new Origin("t.yaml", 3, -1, 7));
        assertThat(c.objects.get(1).group()).isEqualTo("apps");
    }

    @Test
    void kubectlListWithItemsBeforeKindIsStreamedItemByItem() {
        Collect c = yaml("""
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: p1}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: s1}
                kind: List
                metadata:
                  resourceVersion: ""
                """);
        assertThat(c.names()).containsExactly("Pod/p1", "Service/s1");
        assertThat(c.objects.get(1).origin()).isEqualTo(new Origin("t.yaml", 1, 1, 6));
    }

    @Test
    void typedListItemsInheritKindFromTheList() {
        Collect y = yaml("kind: PodList\napiVersion: v1\nitems:\n- metadata: {name: x}\n");
        assertThat(y.names()).containsExactly("Pod/x");
        assertThat(y.objects.get(0).apiVersion()).isEqualTo("v1");
        Collect j = json("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":\"x\"}}]}");
        assertThat(j.anomalies).isEmpty();
        assertThat(j.names()).containsExactly("Pod/x");
    }

    @Test
    void jsonListsConcatenatedObjectsAndArrays() {
        Collect c = json("""
                {"kind":"List","items":[{"kind":"Pod","metadata":{"name":"a"}},
                  {"kind":"Pod","metadata":{"name":"b"}}]}
                {"kind":"Namespace","metadata":{"name":"n"}}
                [{"kind":"Pod","metadata":{"name":"c"}}, 5]
                """);
        assertThat(c.names()).containsExactly("Pod/a", "Pod/b", "Namespace/n", "Pod/c");
        assertThat(c.anomalies).hasSize(1);
        assertThat(c.objects.get(1).origin().line()).isEqualTo(2);
    }

    @Test
    void scalarsResolveWithTheCoreSchemaAndAliasesExpand() {
        Collect c = yaml("""
                kind: Pod
                metadata: {name: p, labels: &l {app: web}}
                spec:
                  hostNetwork: true
                  quoted: "true"
                  port: 0x10
                  nothing: ~
                  copy: *l
                """);
        var spec = c.objects.get(0).json().get("spec");
        assertThat(spec.get("hostNetwork").isBoolean()).isTrue();
        assertThat(spec.get("quoted").isString()).isTrue();
        assertThat(spec.get("port").intValue()).isEqualTo(16);
        assertThat(spec.get("nothing").isNull()).isTrue();
        assertThat(spec.get("copy").get("app").stringValue()).isEqualTo("web");
    }

    @Test
    void malformedYamlIsAnAnomalyNamingTheLineAfterEarlierObjects() {
        Collect c = yaml("kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: [b\n  c: :\n");
        assertThat(c.names()).containsExactly("Pod/a");
        assertThat(c.anomalies).hasSize(1);
        assertThat(c.anomalies.get(0).message()).startsWith("malformed YAML");
        assertThat(c.anomalies.get(0).origin().line()).isGreaterThan(0);
    }

    @Test
    void documentsThatAreNotObjectsAreAnomalies() {
        Collect c = yaml("just a string\n---\n- 1\n---\nkind: Pod\n---\nmetadata: {name: x}\n");
        assertThat(c.objects).isEmpty();
        assertThat(c.anomalies).extracting(Anomaly::message).containsExactly(
                "document 1 is a scalar, not a Kubernetes object",
                "item 0 of document 2 is not a Kubernetes object",
                "no kind or metadata.name; not a Kubernetes object",
                "no kind or metadata.name; not a Kubernetes object");
    }

    @Test
    void depthLimitAtLimitPassesAndAtLimitPlusOneIsAnAnomaly() {
        assertThat(yaml(nested(YamlReader.MAX_DEPTH)).objects).hasSize(1);
        Collect over = yaml(nested(YamlReader.MAX_DEPTH + 1));
        assertThat(over.objects).isEmpty();
        assertThat(over.anomalies.get(0).message()).contains("deeper than 64");
        assertThat(json(toJson(YamlReader.MAX_DEPTH)).anomalies).isEmpty();
        assertThat(json(toJson(YamlReader.MAX_DEPTH + 1)).anomalies).hasSize(1);
    }

    /** An object whose deepest node sits at {@code depth} (the root's keys are at depth 1). */
    private static String nested(int depth) {
        StringBuilder b = new StringBuilder("kind: Pod\nmetadata: {name: deep}\nx: ");
        b.append("[".repeat(depth - 1)).append('1').append("]".repeat(depth - 1)).append('\n');
        return b.toString();
    }

    private static String toJson(int depth) {
        return "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"deep\"},\"x\":" + "[".repeat(depth - 1) + "1" + "]".repeat(depth - 1) + "}";
    }

    @Test
    void aliasBombStopsAtTheNodeLimit() {
        StringBuilder b = new StringBuilder("kind: Pod\nmetadata: {name: bomb}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 6; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                b.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        Collect c = yaml(b.toString());
        assertThat(c.objects).isEmpty();
        assertThat(c.anomalies.get(0).message()).contains("250000 nodes");
    }

    @Test
    void nodeLimitAtLimitPlusOne() {
        int scalarsAtLimit = YamlReader.MAX_OBJECT_NODES - 4; // root keys kind, metadata{name}, x[] count 4 nodes
        assertThat(yaml(flat(scalarsAtLimit)).objects).hasSize(1);
        assertThat(yaml(flat(scalarsAtLimit + 1)).anomalies).hasSize(1);
    }

    private static String flat(int n) {
        StringBuilder b = new StringBuilder("kind: Pod\nmetadata: {name: wide}\nx: [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "1" : ",1");
        }
        return b.append("]\n").toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 1234L})
    void mutatedInputNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = """
                apiVersion: v1
                items:
                - kind: Pod
                  metadata: {name: a, annotations: {x: "y"}}
                  spec: {containers: [{name: c, image: nginx}]}
                kind: List
                ---
                {"kind":"Pod","metadata":{"name":"b"}}
                """.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) {
            byte[] input = Mutations.mutate(random, valid);
            String text = new String(input, StandardCharsets.UTF_8);
            try {
                yaml(text);
                json(text);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + " threw on: " + text, e);
            }
        }
    }

    @Test
    void fileSourceWalksFoldersSniffsJsonAndReadsStdin(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.yaml"), "kind: Pod\nmetadata: {name: b}\n");
        Files.writeString(dir.resolve("sub/a.yml"), "kind: Pod\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("sub/c.txt"), "kind: Pod\nmetadata: {name: ignored}\n");
        Files.writeString(dir.resolve("z.yaml"), "  \n {\"kind\":\"Pod\",\"metadata\":{\"name\":\"z\"}}");
        Collect c = new Collect();
        new FileSource(List.of(dir.toString(), "-"), () -> new ByteArrayInputStream(
                "kind: Pod\nmetadata: {name: s}\n".getBytes(StandardCharsets.UTF_8))).read(c);
        assertThat(c.names()).containsExactly("Pod/b", "Pod/a", "Pod/z", "Pod/s");
        assertThat(c.objects.get(3).origin().file()).isEqualTo("<stdin>");
        assertThat(c.objects.get(2).origin().line()).isEqualTo(2);
    }
}
