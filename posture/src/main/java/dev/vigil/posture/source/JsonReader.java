package dev.vigil.posture.source;

import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams the Kubernetes objects of one JSON input with Jackson's streaming parser: one object,
 * several concatenated objects, a top-level array of objects, or a list ({@code kind: List}, {@code
 * PodList}, {@code kubectl get -o json}) whose {@code items} are emitted one at a time. Only the
 * current object is built as a tree.
 *
 * <p>Limits: {@link YamlReader#MAX_DEPTH} nesting depth and {@link YamlReader#MAX_SCALAR_LENGTH}
 * characters per string, enforced by Jackson's {@link StreamReadConstraints}; exceeding one, like
 * malformed JSON, ends the input with one anomaly naming the line.
 */
public final class JsonReader {

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(YamlReader.MAX_DEPTH)
                    .maxStringLength(YamlReader.MAX_SCALAR_LENGTH)
                    .build())
            .build()).disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final String file;
    private final ObjectSink sink;
    private int document;

    private JsonReader(String file, ObjectSink sink) {
        this.file = file;
        this.sink = sink;
    }

    /** Reads {@code input} to its end, pushing objects and anomalies to {@code sink}. */
    public static void read(String file, InputStream input, ObjectSink sink) {
        JsonReader reader = new JsonReader(file, sink);
        try (JsonParser parser = MAPPER.createParser(input)) {
            reader.run(parser);
        } catch (JacksonException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            sink.anomaly(new Anomaly(new Origin(file, reader.document, -1, line),
                    "malformed JSON: " + e.getOriginalMessage() + "; the rest of the file is skipped"));
        }
    }

    private void run(JsonParser parser) {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            document++;
            switch (token) {
                case START_OBJECT -> readTopObject(parser);
                case START_ARRAY -> readItems(parser, null);
                default -> sink.anomaly(new Anomaly(new Origin(file, document, -1, line(parser)),
                        "document " + document + " is a " + token + ", not a Kubernetes object"));
            }
        }
    }

    private void readTopObject(JsonParser parser) {
        int line = line(parser);
        ObjectNode root = MAPPER.createObjectNode();
        boolean listed = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("items".equals(key) && value == JsonToken.START_ARRAY) {
                listed = true;
                readItems(parser, root);
            } else {
                root.set(key, (JsonNode) MAPPER.readTree(parser));
            }
        }
        if (!listed) {
            emit(root, line, -1);
        }
    }

    private void readItems(JsonParser parser, ObjectNode list) {
        int item = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            int line = line(parser);
            if (token == JsonToken.START_OBJECT) {
                ObjectNode node = (ObjectNode) MAPPER.readTree(parser);
                KubeObject.inheritKind(list, node);
                emit(node, line, item);
            } else {
                sink.anomaly(new Anomaly(new Origin(file, document, item, line),
                        "item " + item + " of document " + document + " is not a Kubernetes object"));
                parser.skipChildren();
            }
            item++;
        }
    }

    private void emit(ObjectNode json, int line, int item) {
        KubeObject.emit(json, new Origin(file, document, item, line), sink);
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
