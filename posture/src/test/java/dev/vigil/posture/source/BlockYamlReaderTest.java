package dev.vigil.posture.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Mutations;
import dev.vigil.testkit.Requirements;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast block-YAML reader against snakeyaml-engine alone: for every input both must push the same
 * objects (same JSON, origin) and anomalies. Inputs are generated Kubernetes-like streams in many styles
 * (a seeded {@link SplittableRandom}; the failure names the seed), the same streams mutated, hand-written
 * corner cases, and the PSS corpus. Generated streams inside the subset must not be handed over, so the
 * comparison proves the fast path, not the fallback.
 */
class BlockYamlReaderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a reader pushed, as comparable text. */
    record Result(List<String> events, List<String> handedOver) {
    }

    static Result fast(byte[] input) {
        List<String> events = new ArrayList<>();
        List<String> handed;
        try {
            handed = BlockYamlReader.read("t.yaml", new ByteArrayInputStream(input), recorder(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(events, handed);
    }

    static Result reference(byte[] input) {
        List<String> events = new ArrayList<>();
        YamlReader.readEvents("t.yaml", new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8),
                recorder(events));
        return new Result(events, List.of());
    }

    private static ObjectSink recorder(List<String> events) {
        return new ObjectSink() {
            @Override
            public void object(KubeObject o) {
                events.add("object " + o.origin() + " " + o.json());
            }

            @Override
            public void anomaly(Anomaly a) {
                events.add("anomaly " + a.origin() + " " + a.message());
            }
        };
    }

    /**
     * Both readers push the same events, except on malformed YAML: both end with one malformed-YAML
     * anomaly, and what snakeyaml-engine alone pushed before it is what the fast reader pushed first
     * (the fast reader may read further: a document it read itself is not lost to an error in a later
     * one). snakeyaml-engine checks characters a buffer ahead of its parse, so when the error is a
     * forbidden character, whether the object just before it is pushed depends on where its buffer
     * happens to end: then the shorter list must be a prefix of the longer.
     */
    private static void assertSame(byte[] input, String context) {
        Result ref = reference(input);
        Result fast = fast(input);
        String described = context + "; handed over " + fast.handedOver() + "; input:\n" + new String(input, StandardCharsets.UTF_8);
        if (ref.events().isEmpty() || !ref.events().getLast().contains(MALFORMED)) {
            assertThat(fast.events()).as(described).containsExactlyElementsOf(ref.events());
            return;
        }
        assertThat(fast.events()).as(described).isNotEmpty();
        assertThat(fast.events().getLast()).as(described).contains(MALFORMED);
        assertThat(fast.events().stream().filter(e -> e.contains(MALFORMED)).count()).as(described).isOne();
        List<String> refBefore = ref.events().subList(0, ref.events().size() - 1);
        List<String> fastBefore = fast.events().subList(0, fast.events().size() - 1);
        boolean forbiddenCharacter = ref.events().getLast().contains(FORBIDDEN) && fast.events().getLast().contains(FORBIDDEN);
        if (forbiddenCharacter && fastBefore.size() < refBefore.size()) {
            assertThat(refBefore.subList(0, fastBefore.size())).as(described).containsExactlyElementsOf(fastBefore);
        } else {
            assertThat(fastBefore.subList(0, Math.min(refBefore.size(), fastBefore.size()))).as(described)
                    .containsExactlyElementsOf(refBefore);
            assertThat(fastBefore.size()).as(described).isGreaterThanOrEqualTo(refBefore.size());
        }
    }

    private static final String MALFORMED = " malformed YAML: ";
    private static final String FORBIDDEN = "special characters are not allowed";

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void generatedStreamsInTheSubsetAreReadFastAndAlikeAndMeanWhatWasGenerated(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 40; i++) {
            Generator g = new Generator(random, false);
            String text = g.stream();
            byte[] input = text.getBytes(StandardCharsets.UTF_8);
            Result fast = fast(input);
            assertSame(input, "seed " + seed + " stream " + i);
            assertThat(fast.handedOver()).as("seed %d stream %d handed over:%n%s", seed, i, text).isEmpty();
            List<String> expected = g.expectedObjects();
            List<String> read = fast.events().stream().filter(e -> e.startsWith("object ")).map(e -> e.substring(e.indexOf(" {") + 1)).toList();
            assertThat(read).as("seed %d stream %d meaning:%n%s", seed, i, text).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {101, 102, 103, 104, 105, 106, 107, 108, 109, 110})
    void generatedStreamsBeyondTheSubsetAreHandedOverAndReadAlike(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int handed = 0;
        for (int i = 0; i < 40; i++) {
            byte[] input = new Generator(random, true).stream().getBytes(StandardCharsets.UTF_8);
            assertSame(input, "seed " + seed + " stream " + i);
            handed += fast(input).handedOver().size();
        }
        assertThat(handed).as("seed %d: constructs outside the subset were generated", seed).isPositive();
    }

    @ParameterizedTest
    @ValueSource(longs = {201, 202, 203, 204, 205, 206, 207, 208, 209, 210})
    void mutatedStreamsAreReadAlike(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 60; i++) {
            byte[] valid = new Generator(random, random.nextBoolean()).stream().getBytes(StandardCharsets.UTF_8);
            byte[] input = Mutations.mutate(random, valid);
            assertSame(input, "seed " + seed + " mutation " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "# only a comment\n",
            "---\n---\n",
            "a: 1\n---\n",
            "kind: Pod\nmetadata: {name: a}\n...\n",
            "kind: Pod\nmetadata: {name: a}\n...\nkind: Pod\n",
            "%YAML 1.2\n---\nkind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: b}\n",
            "kind: Pod\nmetadata: {name: a}\n---\n%YAML 1.2\n---\nkind: Pod\nmetadata: {name: b}\n",
            "\uFEFFkind: Pod\nmetadata: {name: a}\n",
            "kind: Pod\r\nmetadata:\r\n  name: a\r\n  labels: {x: y}\r\ndata: |\r\n  line\r\n\r\n  two\r\n",
            "kind: Pod\nmetadata: {name: a}\nx: \"tab\there\"\n",
            "kind: Pod\nmetadata: {name: a}\nx:\tvalue\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n\tindented by tab\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n  a\n\tb\n",
            "kind: Pod\nmetadata: {name: a}\nx: >\n  a\n  b\n\n  c\n   more\n  d\n",
            "kind: Pod\nmetadata: {name: a}\nx: >-\n\n  a\n",
            "kind: Pod\nmetadata: {name: a}\nx: |+\n  a\n\n\n",
            "kind: Pod\nmetadata: {name: a}\nx: |+\n\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n  a\n  ",
            "kind: Pod\nmetadata: {name: a}\nx: |-\n  a\n    \n  b\n",
            "kind: Pod\nmetadata: {name: a}\nx: |2\n   a\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n    a\n  b: c\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n\nnext: 1\n",
            "kind: Pod\nmetadata: {name: a}\nx: plain\n  continued\n",
            "kind: Pod\nmetadata: {name: a}\nx: 'single\n  continued'\n",
            "kind: Pod\nmetadata: {name: a}\nx: [a,\n  b, c]\n",
            "kind: Pod\nmetadata: {name: a}\nx: [a,\nb]\n",
            "kind: Pod\nmetadata: {name: a}\nx: {a: 1, b}\n",
            "kind: Pod\nmetadata: {name: a}\nx: [a: 1]\n",
            "kind: Pod\nmetadata: {name: a}\nx: [http://a.b/c, 'd']\n",
            "kind: Pod\nmetadata: {name: a}\nx: {\"a\":1,\"b\":[true,null]}\n",
            "kind: Pod\nmetadata: {name: a}\nx: a: b\n",
            "kind: Pod\nmetadata: {name: a}\n  bad: indent\n",
            "kind: Pod\nmetadata: {name: a}\n- seq\n",
            "kind: Pod\nmetadata: &m {name: a}\ncopy: *m\n",
            "kind: Pod\nmetadata: {name: !!str a}\n",
            "? kind\n: Pod\nmetadata: {name: a}\n",
            "kind: Pod\nmetadata: {name: a}\n\"quoted key\": 1\n'single key': 2\n",
            "kind: Pod\nmetadata: {name: a}\nesc: \"\\u00e9\\x41\\t\\n\\\\\\\"\\/\\U0001F600\"\n",
            "kind: Pod\nmetadata: {name: a}\nesc: \"\\N\\_\\e\"\n",
            "kind: Pod\nmetadata: {name: a}\nunicode: héllo wörld ✓\n",
            "kind: Pod\nmetadata: {name: a}\nemoji: 😀\n",
            "kind: Pod\nmetadata: {name: a}\nctl: a\u0001b\n",
            "kind: Pod\nmetadata: {name: a}\nc1: a\u0085b\n",
            "kind: Pod\nmetadata: {name: a}\nc1: \"a\u0085b\\u2028c\u2029d\rx\"\n---\nkind: Pod\nmetadata: {name: b}\n",
            "kind: Pod\nmetadata: {name: a}\ncr: 'a\rb'\n---\nkind: Pod\nmetadata: {name: b}\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n  a",
            "kind: Pod\nmetadata: {name: a}\nx: >\n  a\n  b",
            "kind: Pod\nmetadata: {name: a}\nx: |-\n  a",
            "kind: Pod\nmetadata: {name: a}\nx: |+\n  a",
            "kind: Pod\nmetadata: {name: a}\nx: |+\n  a\n\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n  a\n\n",
            "kind: Pod\nmetadata: {name: a}\nx: |\n",
            "kind: Pod\nmetadata: {name: a}\nx: >-\n",
            "kind: Pod\nmetadata: {name: a}\ndup: 1\ndup: 2\n",
            "kind: Pod\nmetadata: {name: a}\nhost: ::1\nq: ?x\n::1: a\n?y: b\n:z: c\nw: [::1]\nv: {?a: 1}\n",
            "kind: Pod\nmetadata: {name: a}\nk: -1\nl: [-1, -x]\nm: - x\n",
            "just a string\n---\n- 1\n---\nkind: Pod\n---\nmetadata: {name: x}\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n- 5\n- kind: Pod\n  metadata: {name: b}\nkind: List\n",
            "apiVersion: v1\nitems: []\nkind: List\n",
            "apiVersion: v1\nitems: [{kind: Pod, metadata: {name: a}}]\nkind: List\n",
            "kind: PodList\napiVersion: v1\nitems:\n  - metadata: {name: x}\n  - metadata:\n      name: y\nmetadata: {}\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b, x: &a 1}\n- kind: Pod\n  metadata: {name: c}\nkind: List\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\nkind: !!str List\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n garbage\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: [b\n",
            "- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n  x: &y 1\n",
            "- kind: Pod\n  metadata: {name: a}\nfoo: bar\n",
            "  kind: Pod\n  metadata: {name: indented}\n",
            "kind: Pod\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: [b\n---\nkind: Pod\nmetadata: {name: c}\n",
            "kind: Pod\nmetadata: {name: a}\nx: [a, [b, {c: d}], {}, []]\n",
            "kind: Pod\nmetadata:\n  name: a\nlist:\n- - x\n  - y\n- -   z\n",
            "kind: Pod\nmetadata:\n  name: a\nnull1:\nnull2: ~\nbool: True\nint: 0x1F\noct: 0o17\nfloat: 1.5e3\ninf: .inf\nnan: .NaN\nneg: -7\nstr: 1.2.3\n",
            "kind: Pod\nmetadata:\n  name: a\nk: v # comment\n# full comment\n   # indented comment\nk2: 'x' # c\n",
            "kind: Pod\nmetadata:\n  name: a\n  annotations:\n    x: |\n      {\"a\": 1}\n    y: z\n",
    })
    void cornerCasesAreReadAlike(String text) {
        assertSame(text.getBytes(StandardCharsets.UTF_8), "corner case");
    }

    @Test
    void kubectlStyleListsAreReadWithoutHandingOver() {
        String text = """
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    annotations:
                      kubectl.kubernetes.io/last-applied-configuration: |
                        {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"web","namespace":"shop"}}
                    creationTimestamp: "2024-05-01T10:00:00Z"
                    labels:
                      app: web
                    name: web
                    namespace: shop
                  spec:
                    containers:
                    - args:
                      - --port=8080
                      - -v
                      image: registry.local/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                      name: web
                      ports:
                      - containerPort: 8080
                        protocol: TCP
                      resources: {}
                    securityContext: {}
                  status:
                    phase: Running
                kind: List
                metadata:
                  resourceVersion: ""
                """;
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        assertSame(input, "kubectl list");
        assertThat(fast(input).handedOver()).isEmpty();
    }

    @Test
    void aHandOverInsideAListResumesAtTheItemAndTheFastPathContinuesAfterTheDocument() {
        StringBuilder b = new StringBuilder("apiVersion: v1\nkind: PodList\nitems:\n");
        for (int i = 0; i < 50; i++) {
            b.append("- metadata:\n    name: p").append(i).append('\n');
            if (i == 30) {
                b.append("  spec: {x: &anchor 1}\n");
            }
        }
        b.append("metadata: {}\n---\nkind: Pod\nmetadata: {name: after}\n");
        byte[] input = b.toString().getBytes(StandardCharsets.UTF_8);
        assertSame(input, "anchor in item 30");
        assertThat(fast(input).handedOver()).hasSize(1);
    }

    @Test
    void aDocumentLargerThanTheBufferIsReadAlike() {
        StringBuilder b = new StringBuilder("kind: ConfigMap\nmetadata: {name: big}\ndata:\n");
        for (int i = 0; i < 20_000; i++) {
            b.append("  key").append(i).append(": value number ").append(i).append('\n');
        }
        b.append("  last: &x 1\n");
        byte[] input = b.toString().getBytes(StandardCharsets.UTF_8);
        assertSame(input, "big document with an anchor at its end");
    }

    @Test
    void keyLengthLimitAtLimitIsReadAndAtLimitPlusOneHandedOver() {
        for (int len : new int[] {BlockYamlReader.MAX_KEY_LENGTH, BlockYamlReader.MAX_KEY_LENGTH + 1}) {
            byte[] input = ("kind: Pod\nmetadata: {name: a}\n" + "k".repeat(len) + ": v\n").getBytes(StandardCharsets.UTF_8);
            assertSame(input, "key of " + len + " bytes");
            assertThat(fast(input).handedOver()).as("key of %d bytes", len).hasSize(len > BlockYamlReader.MAX_KEY_LENGTH ? 1 : 0);
        }
    }

    @Test
    void aDocumentOverTheRetentionLimitStreamsThroughSnakeyamlAndAListDoesNotNeedTo() throws IOException {
        int limit = 200_000;
        StringBuilder big = new StringBuilder("kind: ConfigMap\nmetadata: {name: big}\ndata:\n");
        while (big.length() < 3 * limit) {
            big.append("  key").append(big.length()).append(": some value\n");
        }
        StringBuilder list = new StringBuilder("apiVersion: v1\nkind: PodList\nitems:\n");
        while (list.length() < 3 * limit) {
            list.append("- metadata: {name: p").append(list.length()).append("}\n");
        }
        for (boolean oneDocument : new boolean[] {true, false}) {
            byte[] input = (oneDocument ? big : list).toString().getBytes(StandardCharsets.UTF_8);
            List<String> events = new ArrayList<>();
            List<String> handed = BlockYamlReader.read("t.yaml", new ByteArrayInputStream(input), recorder(events), limit);
            assertThat(events).containsExactlyElementsOf(reference(input).events());
            if (oneDocument) {
                assertThat(handed).singleElement().asString().contains("document over 200000 bytes kept");
            } else {
                assertThat(handed).as("a list keeps one item").isEmpty();
            }
        }
    }

    @Test
    void pssCorpusIsReadAlikeAndFast() throws IOException {
        Path corpus = Requirements.corpora().resolve("pss");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(4000);
        List<String> handed = new ArrayList<>();
        for (Path f : files) {
            byte[] input = Files.readAllBytes(f);
            assertSame(input, f.toString());
            fast(input).handedOver().forEach(h -> handed.add(f + " " + h));
        }
        assertThat(handed).as("corpus files handed over").isEmpty();
    }

    @Test
    void plainScalarsSkipTheResolverOnlyWhenItCannotMatch() {
        ScalarResolver resolver = new CoreSchema().getScalarResolver();
        for (char c = 0x21; c < 0x7f; c++) {
            for (String rest : List.of("", "ull", "ULL", "rue", "RUE", "alse", "1", "0", ".5", "x1f", "o7", "inf", "nan", "e3", "~")) {
                String v = c + rest;
                assertThat(YamlReader.plain(v)).as(v).isEqualTo(YamlReader.typed(v, resolver.resolve(v, true)));
            }
        }
    }

    /**
     * Random Kubernetes-like YAML streams. Inside the subset ({@code beyond} false) it writes block and
     * flow collections, plain, quoted and literal scalars, comments, lists and several documents, and
     * records what each object means; beyond it adds anchors, aliases, tags, folded and multi-line
     * scalars and explicit document ends.
     */
    static final class Generator {
        private static final String[] KEYS = {"name", "namespace", "labels", "app", "image", "args", "env", "value",
                "ports", "containerPort", "spec", "containers", "securityContext", "privileged", "data", "x-key",
                "with space", "a.b/c", "port", "enabled", "items2", "selector", "matchLabels", "rules", "verbs"};
        private static final String[] WORDS = {"web", "nginx:1.25", "registry.local/app@sha256:abc", "/var/run",
                "--flag=1", "-v", "a b c", "x_y", "ALL", "Running", "10.0.0.1", "1.2.3", "ünïcode", "✓ ok", "http"};

        private final SplittableRandom random;
        private final boolean beyond;
        private final StringBuilder out = new StringBuilder();
        private final List<String> expected = new ArrayList<>();
        private final int step;
        private final boolean crlf;
        /** After a {@code |+} scalar a blank line would join its content. */
        private boolean keptLiteral;

        Generator(SplittableRandom random, boolean beyond) {
            this.random = random;
            this.beyond = beyond;
            this.step = random.nextInt(4) == 0 ? 4 : 2;
            this.crlf = random.nextInt(10) == 0;
        }

        List<String> expectedObjects() {
            return expected;
        }

        String stream() {
            int docs = 1 + random.nextInt(4);
            if (random.nextInt(4) == 0) {
                line("# generated");
            }
            for (int d = 0; d < docs; d++) {
                if (d > 0 || random.nextInt(3) == 0) {
                    line("---");
                }
                if (random.nextInt(5) == 0) {
                    list();
                } else {
                    Map<String, Object> o = object(d);
                    expected.add(JSON.writeValueAsString(o));
                    mapping(o, 0);
                }
                if (beyond && random.nextInt(6) == 0) {
                    line("...");
                    line("---");
                    line("kind: Pod");
                    line("metadata: {name: after-end}");
                    expected.add("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"after-end\"}}");
                }
            }
            String s = out.toString();
            return crlf ? s.replace("\n", "\r\n") : s;
        }

        private void list() {
            line("apiVersion: v1");
            line("items:");
            int n = 1 + random.nextInt(5);
            boolean indentless = random.nextBoolean();
            int c = indentless ? 0 : step;
            for (int i = 0; i < n; i++) {
                Map<String, Object> o = object(i);
                expected.add(JSON.writeValueAsString(o));
                item(o, c);
            }
            line("kind: List");
            if (random.nextBoolean()) {
                line("metadata:");
                line(" ".repeat(step) + "resourceVersion: \"\"");
            }
        }

        private Map<String, Object> object(int i) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("apiVersion", "v1");
            o.put("kind", random.nextBoolean() ? "Pod" : "Deployment");
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("name", "obj-" + i + "-" + random.nextInt(1000));
            if (random.nextBoolean()) {
                meta.put("namespace", "ns" + random.nextInt(3));
            }
            o.put("metadata", meta);
            o.put("spec", map(1));
            return o;
        }

        private Object value(int depth) {
            int r = random.nextInt(depth > 4 ? 6 : 10);
            return switch (r) {
                case 0, 1 -> scalarString();
                case 2 -> (long) random.nextInt(-1000, 100000);
                case 3 -> random.nextBoolean();
                case 4 -> null;
                case 5 -> random.nextInt(3) == 0 ? multiLine() : scalarString();
                case 6, 7 -> map(depth + 1);
                default -> list(depth + 1);
            };
        }

        private String scalarString() {
            return switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> String.valueOf(random.nextInt(100));
                case 2 -> random.nextBoolean() ? "true" : "null";
                case 3 -> "has: colon # and hash";
                case 4 -> "quote ' and \" and \\ and \t tab";
                default -> WORDS[random.nextInt(WORDS.length)];
            };
        }

        private String multiLine() {
            StringBuilder b = new StringBuilder();
            int lines = 1 + random.nextInt(4);
            for (int i = 0; i < lines; i++) {
                if (i > 0) {
                    b.append('\n');
                }
                if (random.nextInt(4) == 0 && i > 0) {
                    b.append('\n');
                }
                b.append(random.nextInt(4) == 0 ? "  indented " : "").append(WORDS[random.nextInt(WORDS.length)]);
            }
            return b.append("\n".repeat(random.nextInt(3))).toString();
        }

        private Map<String, Object> map(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            int n = random.nextInt(depth > 3 ? 2 : 5);
            for (int i = 0; i < n; i++) {
                m.put(KEYS[random.nextInt(KEYS.length)], value(depth));
            }
            return m;
        }

        private List<Object> list(int depth) {
            List<Object> l = new ArrayList<>();
            int n = random.nextInt(depth > 3 ? 2 : 4);
            for (int i = 0; i < n; i++) {
                l.add(value(depth));
            }
            return l;
        }

        private void line(String s) {
            out.append(s).append('\n');
            keptLiteral &= s.isEmpty();
        }

        private void comment(int indent) {
            if (random.nextInt(8) == 0) {
                line(" ".repeat(indent) + "# note " + random.nextInt(100));
            }
            if (random.nextInt(12) == 0 && !keptLiteral) {
                line("");
            }
        }

        /** A block mapping whose keys sit at column {@code n}. */
        private void mapping(Map<String, Object> m, int n) {
            boolean first = true;
            for (Map.Entry<String, Object> e : m.entrySet()) {
                if (!first) {
                    comment(n);
                }
                first = false;
                entry(" ".repeat(n), e.getKey(), e.getValue(), n);
            }
        }

        /** One {@code key: value} with {@code prefix} before the key (spaces, or {@code "- "} for compact items). */
        private void entry(String prefix, String key, Object v, int n) {
            String k = key(key);
            if (v instanceof Map<?, ?> m && !m.isEmpty() && random.nextInt(4) != 0) {
                line(prefix + k + ":" + trailingComment());
                @SuppressWarnings("unchecked") Map<String, Object> mm = (Map<String, Object>) m;
                mapping(mm, n + step);
            } else if (v instanceof List<?> l && !l.isEmpty() && random.nextInt(4) != 0) {
                line(prefix + k + ":" + trailingComment());
                sequence(l, random.nextBoolean() ? n : n + step);
            } else if (v instanceof String s && s.contains("\n") && literalFits(s)) {
                line(prefix + k + ": " + literalHeader(s));
                literalBody(s, n + step);
            } else if (v == null && random.nextBoolean()) {
                line(prefix + k + ":" + trailingComment());
            } else {
                line(prefix + k + ": " + inline(v, n) + trailingComment());
            }
        }

        private String trailingComment() {
            return random.nextInt(10) == 0 ? " # trailing" : "";
        }

        private String key(String k) {
            if (k.matches("[a-z][a-zA-Z0-9./-]*") && random.nextInt(5) != 0) {
                return k;
            }
            return random.nextBoolean() ? "\"" + k + "\"" : "'" + k + "'";
        }

        private void sequence(List<?> l, int n) {
            for (Object v : l) {
                item(v, n);
            }
        }

        private void item(Object v, int n) {
            comment(n);
            String dash = " ".repeat(n) + "-" + (random.nextInt(5) == 0 ? "   " : " ");
            if (v instanceof Map<?, ?> m && !m.isEmpty() && random.nextInt(5) != 0) {
                int col = dash.length();
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    entry(first ? dash : " ".repeat(col), (String) e.getKey(), e.getValue(), col);
                    first = false;
                }
            } else if (v instanceof List<?> l && !l.isEmpty() && random.nextInt(3) != 0) {
                line(" ".repeat(n) + "-");
                sequence(l, n + step);
            } else if (v instanceof String s && s.contains("\n") && literalFits(s)) {
                line(dash + literalHeader(s));
                literalBody(s, n + step);
            } else {
                line(dash + inline(v, n));
            }
        }

        /** Literal block scalars hold text whose lines do not start with a space after a blank line. */
        private boolean literalFits(String s) {
            return !s.startsWith(" ") && !s.startsWith("\n") && !s.isEmpty();
        }

        private String literalHeader(String s) {
            String h;
            if (s.endsWith("\n\n")) {
                h = "|+";
            } else if (s.endsWith("\n")) {
                h = "|";
            } else {
                h = "|-";
            }
            if (beyond && random.nextInt(3) == 0) {
                return ">" + h.substring(1);
            }
            return h;
        }

        private void literalBody(String s, int indent) {
            String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
            if (s.endsWith("\n\n")) {
                body = s.substring(0, s.length() - 1);
            }
            for (String l : body.split("\n", -1)) {
                line(l.isEmpty() ? "" : " ".repeat(indent) + l);
            }
            keptLiteral = s.endsWith("\n\n");
        }

        private String inline(Object v, int n) {
            if (beyond && random.nextInt(15) == 0) {
                return "&a" + random.nextInt(3) + " " + inline(v, n);
            }
            if (beyond && random.nextInt(20) == 0 && v instanceof String s && !s.contains("\n")) {
                return "!!str " + quoted(s);
            }
            if (v == null) {
                return random.nextBoolean() ? "null" : "~";
            }
            if (v instanceof Boolean b) {
                return b.toString();
            }
            if (v instanceof Long l) {
                return l.toString();
            }
            if (v instanceof String s) {
                if (s.contains("\n")) {
                    if (beyond && random.nextBoolean()) {
                        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t").replace("\n", "\n\n" + " ".repeat(n + 1)) + "\"";
                    }
                    return doubleQuoted(s);
                }
                return plainOrQuoted(s, false);
            }
            if (v instanceof Map<?, ?> m) {
                StringBuilder b = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "" : random.nextInt(6) == 0 ? ",\n" + " ".repeat(n + step) : ", ");
                    first = false;
                    b.append(flowKey((String) e.getKey())).append(": ").append(flow(e.getValue(), n));
                }
                return b.append('}').toString();
            }
            List<?> l = (List<?>) v;
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : random.nextInt(6) == 0 ? ",\n" + " ".repeat(n + step) : ", ").append(flow(l.get(i), n));
            }
            return b.append(']').toString();
        }

        private String flowKey(String k) {
            return k.matches("[a-z][a-zA-Z0-9.-]*") ? k : doubleQuoted(k);
        }

        private String flow(Object v, int n) {
            if (v instanceof String s) {
                return s.contains("\n") ? doubleQuoted(s) : plainOrQuoted(s, true);
            }
            return inline(v, n);
        }

        private String plainOrQuoted(String s, boolean flowContext) {
            boolean safe = s.matches("[A-Za-z/_ü✓][A-Za-z0-9_./@=ü✓ -]*") && !s.endsWith(" ")
                    && YamlReader.plain(s).isString() && !(flowContext && s.contains(":"));
            if (safe && random.nextInt(3) != 0) {
                return s;
            }
            return quoted(s);
        }

        private String quoted(String s) {
            if (random.nextBoolean() && !s.contains("\t")) {
                return "'" + s.replace("'", "''") + "'";
            }
            return doubleQuoted(s);
        }

        private static String doubleQuoted(String s) {
            return JSON.writeValueAsString(s);
        }
    }
}
