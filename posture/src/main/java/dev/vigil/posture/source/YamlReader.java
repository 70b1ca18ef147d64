package dev.vigil.posture.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Streams the Kubernetes objects of one YAML stream: multi-document YAML, {@code kind: List}
 * documents (also the output of {@code kubectl get -A -o yaml}, whose {@code items} come before
 * {@code kind}) and top-level sequences. It pulls snakeyaml-engine events and builds a JSON tree for
 * one object at a time, so a list of 100,000 pods never sits in memory whole.
 *
 * <p>A top-level mapping whose {@code items} is a sequence is a list: each item mapping is emitted as
 * it completes (an item without {@code kind} takes it from the list's kind, {@code PodList} → {@code
 * Pod}, when that came first) and the list itself is not. Plain scalars resolve with the YAML 1.2
 * core schema.
 *
 * <p>Limits, each reported as an anomaly that skips the offending object:
 * <ul>
 *   <li>{@link #MAX_DEPTH} nesting depth of one object (default 64);</li>
 *   <li>{@link #MAX_OBJECT_NODES} nodes in one object, aliases expanded (default 250,000), which also
 *       bounds alias bombs;</li>
 *   <li>{@link #MAX_SCALAR_LENGTH} characters in one scalar (default 8 MiB).</li>
 * </ul>
 * Malformed YAML ends the stream with one anomaly naming the line; the objects before it were emitted.
 *
 * <p>{@link #read(String, InputStream, ObjectSink)} first tries {@link BlockYamlReader}, a fast reader of
 * the block-style subset that kubectl and people write; every document (or, inside a long list, every
 * item) that leaves the subset is handed to this class's snakeyaml-engine reader, which resumes where
 * the fast reader stopped, so both give the same objects, origins and anomalies.
 */
public final class YamlReader {

    /** Deepest nesting of mappings and sequences within one object. */
    public static final int MAX_DEPTH = 64;
    /** Most nodes (mappings, sequences, scalars, alias copies) in one object. */
    public static final int MAX_OBJECT_NODES = 250_000;
    /** Longest scalar, in chars. */
    public static final int MAX_SCALAR_LENGTH = 8 << 20;

    private enum State { READ_DOCUMENT, READ_ROOT, READ_ROOT_KEY, READ_ITEMS, READ_TOP_SEQUENCE, SKIP_TO_DOCUMENT_END, DONE }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();

    /**
     * Where a read by this class starts when the fast reader hands over in the middle of a stream.
     *
     * @param at             what the input starts with
     * @param document       the current document number ({@link At#DOCUMENT}: the number of the document before)
     * @param root           the list object read so far ({@link At#ITEMS}, {@link At#ROOT_KEYS}), else null
     * @param rootLine       the line where that list object starts
     * @param item           items of the list or top-level sequence emitted so far ({@link At#DOCUMENT}: the
     *                       item counter the document before left, which anomalies before the next document cite)
     * @param nodes          nodes counted for the current object so far ({@link At#ROOT_KEYS})
     * @param headerLines    lines of synthetic header before the input proper ({@code items:} for {@link At#ITEMS})
     * @param firstLine      the line in the file where the input proper starts
     */
    record Resume(At at, int document, ObjectNode root, int rootLine, int item, int nodes, int headerLines, int firstLine) {

        /** The input starts with a document, a list item (after the header {@code items:}), a key of a list object after its items, or an item of a top-level sequence. */
        enum At { DOCUMENT, ITEMS, ROOT_KEYS, TOP_SEQUENCE }

        static Resume document(End before, int firstLine) {
            return new Resume(At.DOCUMENT, before.document(), null, 0, before.item(), 0, 0, firstLine);
        }
    }

    /** The document and item counters where a read ended: what the next read continues from. */
    record End(int document, int item) {
        static final End START = new End(0, 0);
    }

    private final String file;
    private final ParserImpl parser;
    private final ObjectSink sink;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Resume resume;
    private State state = State.READ_DOCUMENT;
    private int document;
    private int item;
    private ObjectNode root;
    private boolean listed;
    private int rootLine;
    private int nodes;
    private String overLimit;
    private boolean malformed;
    /** Until the first node of a resumed input: the document and list state come from {@link #resume}. */
    private boolean resuming;

    private YamlReader(String file, Reader input, ObjectSink sink, Resume resume) {
        this.file = file;
        this.sink = sink;
        this.resume = resume;
        this.document = resume.document();
        this.item = resume.item();
        this.resuming = resume.at() != Resume.At.DOCUMENT;
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setCodePointLimit(Integer.MAX_VALUE)
                .setUseMarks(true)
                .setAllowDuplicateKeys(true)
                .build();
        this.parser = new ParserImpl(settings, new StreamReader(settings, input));
    }

    /**
     * Reads UTF-8 {@code input} to its end, pushing objects and anomalies to {@code sink}; only I/O
     * failures throw.
     */
    public static void read(String file, InputStream input, ObjectSink sink) throws IOException {
        BlockYamlReader.read(file, input, sink);
    }

    /** Reads all of {@code input} with snakeyaml-engine alone: the reference the fast reader is tested against. */
    static void readEvents(String file, Reader input, ObjectSink sink) {
        new YamlReader(file, input, sink, Resume.document(End.START, 1)).run();
    }

    /**
     * Reads a piece of a stream with snakeyaml-engine, from where {@code resume} says; returns where it
     * ended, or null when the input was malformed (an anomaly was reported and the rest of the file must
     * be skipped).
     */
    static End readFrom(String file, Reader input, ObjectSink sink, Resume resume) {
        YamlReader reader = new YamlReader(file, input, sink, resume);
        reader.run();
        return reader.malformed ? null : new End(reader.document, reader.item);
    }

    private void run() {
        try {
            while (state != State.DONE && parser.hasNext()) {
                Event event = parser.next();
                switch (state) {
                    case READ_DOCUMENT -> readDocument(event);
                    case READ_ROOT -> readRoot(event);
                    case READ_ROOT_KEY -> readRootKey(event);
                    case READ_ITEMS -> readItem(event, State.READ_ROOT_KEY);
                    case READ_TOP_SEQUENCE -> readItem(event, State.SKIP_TO_DOCUMENT_END);
                    case SKIP_TO_DOCUMENT_END -> skipToDocumentEnd(event);
                    case DONE -> { }
                }
            }
        } catch (YamlEngineException e) {
            malformed = true;
            anomaly(lineOf(e), "malformed YAML: " + firstLine(e.getMessage()) + "; the rest of the file is skipped");
        }
    }

    private void readDocument(Event event) {
        switch (event.getEventId()) {
            case DocumentStart -> {
                if (!resuming) {
                    document++;
                }
                item = -1;
                anchors.clear();
                state = State.READ_ROOT;
            }
            case StreamEnd -> state = State.DONE;
            default -> { }
        }
    }

    private void readRoot(Event event) {
        boolean wasResuming = resuming;
        readRootNode(event);
        if (wasResuming && resume.at() != Resume.At.ITEMS) {
            resuming = false;
        }
    }

    private void readRootNode(Event event) {
        switch (event.getEventId()) {
            case MappingStart -> {
                startObject();
                root = NODES.objectNode();
                listed = false;
                rootLine = line(event);
                if (resuming && resume.root() != null) {
                    root = resume.root();
                    rootLine = resume.rootLine();
                    listed = true;
                    item = resume.item();
                    nodes = resume.nodes();
                }
                state = State.READ_ROOT_KEY;
            }
            case SequenceStart -> {
                item = resuming ? resume.item() : 0;
                state = State.READ_TOP_SEQUENCE;
            }
            case Scalar -> {
                ScalarEvent s = (ScalarEvent) event;
                if (!(s.isPlain() && (s.getValue().isEmpty() || RESOLVER.resolve(s.getValue(), true) == Tag.NULL))) {
                    anomaly(line(event), "document " + document + " is a scalar, not a Kubernetes object");
                }
                state = State.SKIP_TO_DOCUMENT_END;
            }
            default -> {
                anomaly(line(event), "document " + document + " is not a Kubernetes object");
                state = State.SKIP_TO_DOCUMENT_END;
            }
        }
    }

    private void readRootKey(Event event) {
        if (event.getEventId() == Event.ID.MappingEnd) {
            if (!listed) {
                emit(root, rootLine, -1);
            }
            root = null;
            state = State.SKIP_TO_DOCUMENT_END;
            return;
        }
        if (!(event instanceof ScalarEvent key)) {
            anomaly(line(event), "document " + document + " has a non-scalar key; the document is skipped");
            skipNode(event);
            state = State.SKIP_TO_DOCUMENT_END;
            root = null;
            return;
        }
        Event value = parser.next();
        if ("items".equals(key.getValue()) && value.getEventId() == Event.ID.SequenceStart) {
            listed = true;
            item = resuming ? resume.item() : 0;
            resuming = false;
            state = State.READ_ITEMS;
            return;
        }
        JsonNode v = node(value, 1);
        if (v != null) {
            root.set(key.getValue(), v);
        }
    }

    private void readItem(Event event, State after) {
        switch (event.getEventId()) {
            case SequenceEnd -> state = after;
            case MappingStart -> {
                startObject();
                int at = line(event);
                JsonNode node = node(event, 0);
                if (node instanceof ObjectNode o) {
                    KubeObject.inheritKind(root, o);
                    emit(o, at, item);
                }
                item++;
            }
            default -> {
                anomaly(line(event), "item " + item + " of document " + document + " is not a Kubernetes object");
                skipNode(event);
                item++;
            }
        }
    }

    private void skipToDocumentEnd(Event event) {
        if (event.getEventId() == Event.ID.DocumentEnd) {
            state = State.READ_DOCUMENT;
        } else if (event.getEventId() == Event.ID.StreamEnd) {
            state = State.DONE;
        }
    }

    private void emit(ObjectNode json, int line, int index) {
        Origin origin = new Origin(file, document, index, line);
        if (overLimit != null) {
            sink.anomaly(new Anomaly(origin, overLimit + "; the object is skipped"));
            return;
        }
        KubeObject.emit(json, origin, sink);
    }

    private void startObject() {
        nodes = 0;
        overLimit = null;
    }

    /**
     * Builds the node that starts with {@code event}, consuming its events; returns null for a node
     * skipped over a limit (the limit is remembered in {@link #overLimit}).
     */
    private JsonNode node(Event event, int depth) {
        if (++nodes > MAX_OBJECT_NODES && overLimit == null) {
            overLimit = "object exceeds " + MAX_OBJECT_NODES + " nodes (YamlReader.MAX_OBJECT_NODES)";
        }
        if (depth > MAX_DEPTH && overLimit == null) {
            overLimit = "object nests deeper than " + MAX_DEPTH + " levels (YamlReader.MAX_DEPTH)";
        }
        if (overLimit != null) {
            skipNode(event);
            return null;
        }
        JsonNode built = switch (event.getEventId()) {
            case Scalar -> scalar((ScalarEvent) event);
            case Alias -> alias((AliasEvent) event);
            case MappingStart -> mapping(depth);
            case SequenceStart -> sequence(depth);
            default -> {
                overLimit = "unexpected YAML event " + event.getEventId();
                yield null;
            }
        };
        if (built != null && event instanceof NodeEvent n) {
            Optional<Anchor> anchor = n.getAnchor();
            if (anchor.isPresent() && !(event instanceof AliasEvent)) {
                anchors.put(anchor.get().getValue(), built);
            }
        }
        return built;
    }

    private JsonNode mapping(int depth) {
        ObjectNode map = NODES.objectNode();
        while (true) {
            Event key = parser.next();
            if (key.getEventId() == Event.ID.MappingEnd) {
                return map;
            }
            if (!(key instanceof ScalarEvent k)) {
                if (overLimit == null) {
                    overLimit = "non-scalar mapping key at line " + line(key);
                }
                skipNode(key);
                skipNode(parser.next());
                continue;
            }
            JsonNode value = node(parser.next(), depth + 1);
            if (value != null) {
                map.set(k.getValue(), value);
            }
        }
    }

    private JsonNode sequence(int depth) {
        ArrayNode array = NODES.arrayNode();
        while (true) {
            Event next = parser.next();
            if (next.getEventId() == Event.ID.SequenceEnd) {
                return array;
            }
            JsonNode value = node(next, depth + 1);
            if (value != null) {
                array.add(value);
            }
        }
    }

    private JsonNode alias(AliasEvent event) {
        JsonNode target = anchors.get(event.getAlias().getValue());
        if (target == null) {
            overLimit = "alias *" + event.getAlias().getValue() + " names no anchor";
            return null;
        }
        nodes += count(target);
        if (nodes > MAX_OBJECT_NODES) {
            overLimit = "object exceeds " + MAX_OBJECT_NODES + " nodes with aliases expanded (YamlReader.MAX_OBJECT_NODES)";
            return null;
        }
        return target.deepCopy();
    }

    private static int count(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += count(child);
        }
        return n;
    }

    private JsonNode scalar(ScalarEvent s) {
        String v = s.getValue();
        if (v.length() > MAX_SCALAR_LENGTH) {
            overLimit = "scalar of " + v.length() + " chars exceeds " + MAX_SCALAR_LENGTH + " (YamlReader.MAX_SCALAR_LENGTH)";
            return null;
        }
        if (s.getTag().isPresent() && !"!".equals(s.getTag().get())) {
            return typed(v, new Tag(s.getTag().get()));
        }
        return s.isPlain() ? plain(v) : NODES.stringNode(v);
    }

    /**
     * A plain (unquoted, untagged) scalar resolved with the YAML 1.2 core schema: null, bool, int, float
     * or string. Only values starting with one of {@link #TYPED_STARTS} can be anything but a string, so
     * the others skip the resolver's patterns.
     */
    static JsonNode plain(String v) {
        if (v.isEmpty()) {
            return NODES.nullNode();
        }
        if (TYPED_STARTS.indexOf(v.charAt(0)) < 0) {
            return NODES.stringNode(v);
        }
        return typed(v, RESOLVER.resolve(v, true));
    }

    /** First characters of every null, bool, int and float form of the core schema. */
    private static final String TYPED_STARTS = "~nNtTfF+-.0123456789";

    static JsonNode typed(String v, Tag tag) {
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(v.equalsIgnoreCase("true"));
        }
        if (Tag.INT.equals(tag)) {
            JsonNode n = integer(v);
            return n != null ? n : NODES.stringNode(v);
        }
        if (Tag.FLOAT.equals(tag)) {
            JsonNode n = decimal(v);
            return n != null ? n : NODES.stringNode(v);
        }
        return NODES.stringNode(v);
    }

    private static JsonNode integer(String v) {
        try {
            String digits = v.startsWith("+") ? v.substring(1) : v;
            BigInteger b;
            if (digits.startsWith("0x")) {
                b = new BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                b = new BigInteger(digits.substring(2), 8);
            } else {
                b = new BigInteger(digits);
            }
            return b.bitLength() < 64 ? NODES.numberNode(b.longValue()) : NODES.numberNode(b);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode decimal(String v) {
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".inf") || lower.endsWith(".nan")) {
            return NODES.stringNode(v);
        }
        try {
            return NODES.numberNode(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Consumes the rest of the node that starts with {@code event}. */
    private void skipNode(Event event) {
        Event.ID id = event.getEventId();
        if (id != Event.ID.MappingStart && id != Event.ID.SequenceStart) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            Event.ID next = parser.next().getEventId();
            if (next == Event.ID.MappingStart || next == Event.ID.SequenceStart) {
                depth++;
            } else if (next == Event.ID.MappingEnd || next == Event.ID.SequenceEnd) {
                depth--;
            }
        }
    }

    private void anomaly(int line, String message) {
        sink.anomaly(new Anomaly(new Origin(file, document, item, line), message));
    }

    private int line(Event event) {
        return event.getStartMark().map(m -> fileLine(m.getLine())).orElse(0);
    }

    private int lineOf(YamlEngineException e) {
        if (e instanceof org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException m) {
            return m.getProblemMark().map(mark -> fileLine(mark.getLine())).orElse(0);
        }
        return 0;
    }

    /** The 1-based line in the file of a 0-based line of this reader's input. */
    private int fileLine(int inputLine) {
        return resume.firstLine() + inputLine - resume.headerLines();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
