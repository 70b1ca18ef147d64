package dev.vigil.posture.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast path of {@link YamlReader}: reads the block-style YAML that kubectl and people write
 * straight from UTF-8 bytes, line by line, building the same JSON trees, origins and anomalies as
 * the snakeyaml-engine event reader at a fraction of its cost (no token objects, no code-point
 * arrays, no marks).
 *
 * <p>The subset: block mappings and sequences (also indentless and compact ones), flow mappings and
 * sequences (also across lines), plain scalars on one line, single- and double-quoted scalars on one
 * line, literal and folded block scalars with chomping indicators, comments, {@code ---} between
 * documents, and CRLF line ends. Anything else — anchors, aliases, tags, directives, {@code ...},
 * explicit keys, multi-line plain or quoted scalars, tabs outside block scalars and comments, control
 * characters, and every syntax error — makes the reader stop and hand the input to snakeyaml-engine
 * from the last point nothing has been emitted past: the start of the document, or, inside a list's
 * {@code items} or a top-level sequence, the start of the current item ({@link YamlReader.Resume}).
 * snakeyaml-engine then reads up to the next line starting a document ({@code ---} or a directive at
 * column 0), where the fast path takes over again, so a stray construct slows one document down, not
 * the file. Malformed YAML is reported by snakeyaml-engine, in its words, and ends the file as before.
 *
 * <p>To re-read from a point the reader keeps the input from there in memory: a whole document, or
 * only the current item of a list, so a list of 100,000 pods costs one item of buffer.
 *
 * <p>Limits: those of {@link YamlReader} (the reader hands an object over when it exceeds one, so the
 * anomaly is the same); {@link #MAX_RETAINED} bytes kept for re-reading (default 64 MiB): a document
 * that is not a list and grows past it is read by snakeyaml-engine, which streams it;
 * {@link #MAX_KEY_LENGTH} chars per implicit key (default 1024, YAML's limit).
 */
final class BlockYamlReader {

    /** Most bytes kept in memory to re-read a document or list item from its start. */
    static final int MAX_RETAINED = 64 << 20;
    /** Longest implicit mapping key, in bytes (YAML 1.2 allows 1024 characters). */
    static final int MAX_KEY_LENGTH = 1024;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** {@link Lines#indent} of a document marker line ({@code ---}). */
    private static final int MARKER = -2;
    /** {@link Lines#indent} at the end of the input. */
    private static final int END = -1;

    /** The input leaves the subset; thrown without a stack trace and always caught here. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private final String file;
    private final ObjectSink sink;
    private final Lines in;
    private int document;
    private int nodes;
    private int rootIndent;
    /** Where snakeyaml-engine takes over if this reader stops now; its input starts at {@code in.keep}. */
    private YamlReader.Resume resume;
    /** The counters as the last document left them. */
    private YamlReader.End ended = YamlReader.End.START;
    private final List<String> handedOver = new ArrayList<>();

    private BlockYamlReader(String file, InputStream input, ObjectSink sink, int maxRetained) {
        this.file = file;
        this.sink = sink;
        this.in = new Lines(input, maxRetained);
    }

    /** Reads {@code input} to its end; returns why and where it handed over to snakeyaml-engine (for tests). */
    static List<String> read(String file, InputStream input, ObjectSink sink) throws IOException {
        return read(file, input, sink, MAX_RETAINED);
    }

    /** As {@link #read(String, InputStream, ObjectSink)}, keeping at most {@code maxRetained} bytes to re-read. */
    static List<String> read(String file, InputStream input, ObjectSink sink, int maxRetained) throws IOException {
        BlockYamlReader reader = new BlockYamlReader(file, input, sink, maxRetained);
        try {
            reader.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return reader.handedOver;
    }

    private void run() {
        in.advance();
        resumeHere(YamlReader.Resume.document(ended, Math.max(1, in.number)));
        boolean bom = in.exists && in.startsWithBom();
        while (true) {
            try {
                if (bom) {
                    bom = false;
                    throw new Unsupported("byte order mark");
                }
                in.findContent();
                if (!document()) {
                    return;
                }
            } catch (Unsupported e) {
                handedOver.add("line " + in.number + ": " + e.getMessage());
                if (!handOver()) {
                    return;
                }
            }
        }
    }

    /** Remembers the current line as where snakeyaml-engine would start, as {@code r} says. */
    private void resumeHere(YamlReader.Resume r) {
        resume = r;
        in.keep = in.lineStart();
        in.keepLine = in.number;
    }

    /**
     * Lets snakeyaml-engine read from the resume point to the next line that starts a document; returns
     * false when it found malformed YAML (the rest of the file is skipped) or the input ended.
     */
    private boolean handOver() {
        byte[] header = resume.at() == YamlReader.Resume.At.ITEMS
                ? (" ".repeat(rootIndent) + "items:\n").getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        InputStream slice = in.slice(header, resume.at() == YamlReader.Resume.At.DOCUMENT);
        YamlReader.End end = YamlReader.readFrom(file, new InputStreamReader(slice, StandardCharsets.UTF_8), sink, resume);
        if (end == null || !in.exists) {
            return false;
        }
        ended = end;
        document = end.document();
        resumeHere(YamlReader.Resume.document(ended, in.number));
        return true;
    }

    /** Reads one document from the current content line; returns false at the end of the input. */
    private boolean document() {
        if (in.indent == END) {
            return false;
        }
        if (in.indent == MARKER) {
            resumeHere(YamlReader.Resume.document(ended, in.number));
            document++;
            ended = new YamlReader.End(document, -1);
            in.pos = in.start + 3;
            finishLine();
            if (in.indent == END || in.indent == MARKER) {
                return in.indent == MARKER;
            }
        } else {
            document++;
            ended = new YamlReader.End(document, -1);
        }
        int r = in.indent;
        int rootLine = in.number;
        ObjectNode root = null;
        if (in.dashAt(in.pos)) {
            topSequence(r);
        } else if (keyEnd(in.pos) >= 0) {
            root = rootMapping(r);
        } else {
            throw new Unsupported("document root is not a block mapping or sequence");
        }
        if (in.indent != END && in.indent != MARKER) {
            throw new Unsupported("content after the document root");
        }
        if (root != null) {
            KubeObject.emit(root, new Origin(file, document, -1, rootLine), sink);
        }
        if (in.indent == MARKER) {
            resumeHere(YamlReader.Resume.document(ended, in.number));
        }
        return true;
    }

    /** The root mapping, or null when it is a list whose items were emitted one by one. */
    private ObjectNode rootMapping(int r) {
        ObjectNode root = NODES.objectNode();
        int rootLine = in.number;
        boolean listed = false;
        int items = 0;
        nodes = 0;
        rootIndent = r;
        while (true) {
            if (listed) {
                if (keyEnd(in.pos) < 0) {
                    throw new Unsupported("expected a key of the list object");
                }
                resumeHere(new YamlReader.Resume(YamlReader.Resume.At.ROOT_KEYS, document, root, rootLine, items,
                        nodes, 0, in.number));
            }
            String key = readKey();
            if ("items".equals(key) && in.restBlank()) {
                in.advanceToContent();
                if (in.indent >= r && in.dashAt(in.pos)) {
                    listed = true;
                    items = items(root, rootLine, r, in.indent);
                } else {
                    root.set(key, nextLinesValue(r, 1, true));
                }
            } else if ("items".equals(key) && emptyFlowSequence()) {
                listed = true;
                items = 0;
                ended = new YamlReader.End(document, 0);
                finishLine();
            } else {
                root.set(key, mappingValue(r, 1));
            }
            if (in.indent < r) {
                return listed ? null : root;
            }
            if (in.indent > r || in.dashAt(in.pos)) {
                throw new Unsupported("bad indentation in the document root");
            }
        }
    }

    /** Whether the value after {@code items:} is {@code []}; any other flow sequence is left to snakeyaml-engine. */
    private boolean emptyFlowSequence() {
        in.skipSpaces();
        if (in.buf[in.pos] != '[') {
            return false;
        }
        int p = in.pos + 1;
        while (p < in.end && in.buf[p] == ' ') {
            p++;
        }
        if (p == in.end || in.buf[p] != ']') {
            throw new Unsupported("items as a flow sequence");
        }
        in.pos = p + 1;
        return true;
    }

    /** The items of a list object at column {@code c}, each emitted once read; returns how many. */
    private int items(ObjectNode root, int rootLine, int r, int c) {
        int item = 0;
        while (in.indent == c && in.dashAt(in.pos)) {
            resumeHere(new YamlReader.Resume(YamlReader.Resume.At.ITEMS, document, root, rootLine, item, 0, 1, in.number));
            ObjectNode o = item(c);
            boolean next = (in.indent == c && in.dashAt(in.pos)) || in.indent == END || in.indent == MARKER
                    || (in.indent == r && !in.dashAt(in.pos) && keyEnd(in.pos) >= 0);
            if (!next) {
                throw new Unsupported("unexpected line after a list item");
            }
            KubeObject.inheritKind(root, o);
            KubeObject.emit(o, new Origin(file, document, item, itemLine), sink);
            item++;
            ended = new YamlReader.End(document, item);
        }
        return item;
    }

    private void topSequence(int c) {
        int item = 0;
        while (in.indent == c && in.dashAt(in.pos)) {
            resumeHere(new YamlReader.Resume(YamlReader.Resume.At.TOP_SEQUENCE, document, null, 0, item, 0, 0, in.number));
            ObjectNode o = item(c);
            if (!((in.indent == c && in.dashAt(in.pos)) || in.indent == END || in.indent == MARKER)) {
                throw new Unsupported("unexpected line after a sequence item");
            }
            KubeObject.emit(o, new Origin(file, document, item, itemLine), sink);
            item++;
            ended = new YamlReader.End(document, item);
        }
    }

    /** Line where the last {@link #item} starts. */
    private int itemLine;

    /** One mapping item of a list or top-level sequence, after its {@code -}; sets {@link #itemLine}. */
    private ObjectNode item(int c) {
        nodes = 0;
        in.pos++;
        int[] line = new int[1];
        JsonNode node = sequenceEntry(c, 0, line);
        if (!(node instanceof ObjectNode o)) {
            throw new Unsupported("list item that is not a mapping");
        }
        itemLine = line[0];
        return o;
    }

    private void count(int depth) {
        if (++nodes > YamlReader.MAX_OBJECT_NODES || depth > YamlReader.MAX_DEPTH) {
            throw new Unsupported("object over a limit");
        }
    }

    // ---- block structure ----

    /** A block mapping whose first key starts at {@code in.pos}, column {@code n}. */
    private ObjectNode blockMapping(int n, int depth) {
        count(depth);
        ObjectNode map = NODES.objectNode();
        while (true) {
            String key = readKey();
            map.set(key, mappingValue(n, depth + 1));
            if (in.indent < n) {
                return map;
            }
            if (in.indent > n || in.dashAt(in.pos) || keyEnd(in.pos) < 0) {
                throw new Unsupported("bad indentation in a block mapping");
            }
        }
    }

    /** A block sequence whose first {@code -} is at {@code in.pos}, column {@code n}. */
    private ArrayNode blockSequence(int n, int depth) {
        count(depth);
        ArrayNode seq = NODES.arrayNode();
        while (true) {
            in.pos++;
            seq.add(sequenceEntry(n, depth + 1, null));
            if (in.indent == n && in.dashAt(in.pos)) {
                continue;
            }
            if (in.indent <= n) {
                return seq;
            }
            throw new Unsupported("bad indentation in a block sequence");
        }
    }

    /**
     * The node after a sequence's {@code -} (already consumed) at column {@code n}; {@code line[0]} gets
     * the line where the node starts, when asked.
     */
    private JsonNode sequenceEntry(int n, int depth, int[] line) {
        if (in.restBlank()) {
            in.advanceToContent();
            if (line != null) {
                line[0] = in.number;
            }
            return nextLinesValue(n, depth, false);
        }
        if (line != null) {
            line[0] = in.number;
        }
        in.skipSpaces();
        int col = in.pos - in.start;
        if (in.dashAt(in.pos)) {
            return blockSequence(col, depth);
        }
        if (keyEnd(in.pos) >= 0) {
            return blockMapping(col, depth);
        }
        return sameLineValue(n, depth);
    }

    /** The value after a mapping key's {@code :} (already consumed); {@code n} is the mapping's column. */
    private JsonNode mappingValue(int n, int depth) {
        if (in.restBlank()) {
            in.advanceToContent();
            return nextLinesValue(n, depth, true);
        }
        in.skipSpaces();
        return sameLineValue(n, depth);
    }

    /** A value that starts on a following line (now the current one), or null when none does. */
    private JsonNode nextLinesValue(int n, int depth, boolean indentless) {
        int c = in.indent;
        if (c > n) {
            if (in.dashAt(in.pos)) {
                return blockSequence(c, depth);
            }
            if (keyEnd(in.pos) >= 0) {
                return blockMapping(c, depth);
            }
            return sameLineValue(n, depth);
        }
        if (c == n && indentless && in.dashAt(in.pos)) {
            return blockSequence(c, depth);
        }
        count(depth);
        return NODES.nullNode();
    }

    /** A scalar or flow collection at {@code in.pos}, inside a block collection at column {@code n}. */
    private JsonNode sameLineValue(int n, int depth) {
        byte c = in.buf[in.pos];
        JsonNode value;
        switch (c) {
            case '|', '>' -> {
                count(depth);
                value = NODES.stringNode(blockScalar(n));
                in.findContent();
                if (in.indent > n) {
                    throw new Unsupported("content after a block scalar");
                }
                return value;
            }
            case '[' -> value = flowSequence(n, depth);
            case '{' -> value = flowMapping(n, depth);
            case '"' -> {
                count(depth);
                value = NODES.stringNode(doubleQuoted());
            }
            case '\'' -> {
                count(depth);
                value = NODES.stringNode(singleQuoted());
            }
            default -> {
                if (!plainStart(in.pos, false)) {
                    throw new Unsupported("node starting with '" + (char) c + "'");
                }
                count(depth);
                value = YamlReader.plain(plainScalar(false));
            }
        }
        finishLine();
        if (in.indent > n) {
            throw new Unsupported("continued line (multi-line scalar or bad indentation)");
        }
        return value;
    }

    /** Requires the rest of the line to be blank or a comment, then moves to the next content line. */
    private void finishLine() {
        if (!in.restBlank()) {
            throw new Unsupported("unexpected text after a node");
        }
        in.advanceToContent();
    }

    // ---- keys and scalars ----

    /**
     * The index of the {@code :} that ends an implicit key starting at {@code p}, or -1 when the line
     * at {@code p} is not a {@code key: value} entry.
     */
    private int keyEnd(int p) {
        byte[] b = in.buf;
        int end = in.end;
        byte c = b[p];
        int i;
        if (c == '"' || c == '\'') {
            i = in.closingQuote(p);
            if (i < 0) {
                return -1;
            }
            i++;
            while (i < end && b[i] == ' ') {
                i++;
            }
            return i < end && b[i] == ':' && (i + 1 == end || b[i + 1] == ' ') ? i : -1;
        }
        if (!plainStart(p, false)) {
            return -1;
        }
        for (i = p; i < end; i++) {
            byte x = b[i];
            if (x == ':' && (i + 1 == end || b[i + 1] == ' ')) {
                return i;
            }
            if (x == '#' && b[i - 1] == ' ') {
                return -1;
            }
        }
        return -1;
    }

    /** Reads the key at {@code in.pos} and its {@code :}; the position is then after the colon. */
    private String readKey() {
        int colon = keyEnd(in.pos);
        if (colon < 0) {
            throw new Unsupported("expected a mapping key");
        }
        if (colon - in.pos > MAX_KEY_LENGTH) {
            throw new Unsupported("key over " + MAX_KEY_LENGTH + " bytes");
        }
        String key;
        byte c = in.buf[in.pos];
        if (c == '"') {
            key = doubleQuoted();
        } else if (c == '\'') {
            key = singleQuoted();
        } else {
            int e = colon;
            while (in.buf[e - 1] == ' ') {
                e--;
            }
            key = in.text(in.pos, e);
        }
        in.pos = colon + 1;
        return key;
    }

    /**
     * Whether a plain scalar may start at {@code p}: not on an indicator, except {@code -}, {@code ?} and
     * {@code :} followed by a non-space (in flow context only {@code -}, and not before a flow indicator).
     */
    private boolean plainStart(int p, boolean flow) {
        byte c = in.buf[p];
        return switch (c) {
            case '-' -> p + 1 < in.end && in.buf[p + 1] != ' ' && !(flow && isFlowIndicator(in.buf[p + 1]));
            case '?', ':' -> !flow && p + 1 < in.end && in.buf[p + 1] != ' ';
            case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> false;
            default -> true;
        };
    }

    private static boolean isFlowIndicator(byte c) {
        return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
    }

    /**
     * A plain scalar on this line: in block context to the end of the line or a comment (a {@code ": "}
     * in it is an error); in flow context to a flow indicator or a {@code :} before a space or one.
     */
    private String plainScalar(boolean flow) {
        byte[] b = in.buf;
        int p = in.pos;
        int end = in.end;
        int i = p;
        for (; i < end; i++) {
            byte x = b[i];
            if (x == '#' && b[i - 1] == ' ') {
                break;
            }
            if (x == ':' && (i + 1 == end || b[i + 1] == ' ' || (flow && isFlowIndicator(b[i + 1])))) {
                if (!flow) {
                    throw new Unsupported("mapping value where none is allowed");
                }
                break;
            }
            if (flow && isFlowIndicator(x)) {
                break;
            }
            if (flow && (x == ':' || x == '?')) {
                throw new Unsupported("'" + (char) x + "' inside a flow scalar");
            }
        }
        if (flow && (i == end || b[i] == '#')) {
            throw new Unsupported("flow scalar running to the end of the line or to a comment");
        }
        int e = i;
        while (b[e - 1] == ' ') {
            e--;
        }
        in.pos = i;
        return in.text(p, e);
    }

    /** A single-quoted scalar on one line; {@code ''} stands for a quote. */
    private String singleQuoted() {
        int close = in.closingQuote(in.pos);
        if (close < 0) {
            throw new Unsupported("multi-line single-quoted scalar");
        }
        String raw = in.text(in.pos + 1, close);
        in.pos = close + 1;
        return raw.indexOf('\'') < 0 ? raw : raw.replace("''", "'");
    }

    /** A double-quoted scalar on one line, with the common escapes. */
    private String doubleQuoted() {
        int close = in.closingQuote(in.pos);
        if (close < 0) {
            throw new Unsupported("multi-line double-quoted scalar");
        }
        byte[] b = in.buf;
        int p = in.pos + 1;
        int backslash = -1;
        for (int i = p; i < close; i++) {
            if (b[i] == '\\') {
                backslash = i;
                break;
            }
        }
        in.pos = close + 1;
        if (backslash < 0) {
            return in.text(p, close);
        }
        StringBuilder out = new StringBuilder(close - p);
        String raw = in.text(p, close);
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case '\\', '"', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case ' ' -> out.append(' ');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits >= raw.length()) {
                        throw new Unsupported("short escape");
                    }
                    int cp;
                    try {
                        cp = Integer.parseInt(raw, i + 1, i + 1 + digits, 16);
                    } catch (NumberFormatException x) {
                        throw new Unsupported("bad escape");
                    }
                    if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        throw new Unsupported("escape of no character");
                    }
                    out.appendCodePoint(cp);
                    i += digits;
                }
                default -> throw new Unsupported("escape \\" + e);
            }
        }
        return out.toString();
    }

    /**
     * A literal ({@code |}) or folded ({@code >}) block scalar whose header is at {@code in.pos}, in a
     * block collection at column {@code n}; leaves the reader on the first line after the content.
     */
    private String blockScalar(int n) {
        byte[] b = in.buf;
        boolean folded = b[in.pos] == '>';
        int chomp = 0;
        int p = in.pos + 1;
        if (p < in.end && (b[p] == '-' || b[p] == '+')) {
            chomp = b[p] == '-' ? -1 : 1;
            p++;
        }
        if (p < in.end && b[p] != ' ') {
            throw new Unsupported("block scalar indentation indicator or bad header");
        }
        in.pos = p;
        if (!in.restBlank()) {
            throw new Unsupported("text after a block scalar header");
        }
        int leading = 0;
        int maxBlank = 0;
        int k = -1;
        while (in.advance()) {
            int s = in.spaces();
            if (in.start + s == in.end) {
                leading++;
                maxBlank = Math.max(maxBlank, s);
                continue;
            }
            k = s;
            break;
        }
        int min = Math.max(n + 1, 1);
        if (k < min || !in.exists) {
            if (chomp == 1 || maxBlank >= min) {
                throw new Unsupported("empty block scalar with kept or indented blank lines");
            }
            return "";
        }
        if (maxBlank > k) {
            throw new Unsupported("leading blank line indented deeper than the block scalar");
        }
        StringBuilder out = new StringBuilder();
        out.append("\n".repeat(leading));
        boolean first = true;
        boolean previousMore = false;
        int blanks = 0;
        do {
            int s = in.spaces();
            if (in.start + s == in.end) {
                if (s > k) {
                    throw new Unsupported("blank line with trailing spaces in a block scalar");
                }
                if (in.terminated) {
                    blanks++;
                }
                continue;
            }
            if (s < k) {
                break;
            }
            if (in.hasControl()) {
                throw new Unsupported("control character in a block scalar");
            }
            boolean more = s > k || in.buf[in.start + s] == '\t';
            if (in.buf[in.start + k] == '\t' && s == k) {
                more = true;
            }
            if (!first) {
                if (folded && !previousMore && !more) {
                    out.append(blanks == 0 ? " " : "\n".repeat(blanks));
                } else {
                    out.append("\n".repeat(blanks + 1));
                }
            }
            out.append(in.text(in.start + k, in.end));
            if (out.length() > YamlReader.MAX_SCALAR_LENGTH) {
                throw new Unsupported("block scalar over the length limit");
            }
            first = false;
            previousMore = more;
            blanks = 0;
        } while (in.advance());
        if (chomp == 1 && !in.exists && !in.terminated) {
            throw new Unsupported("kept block scalar at the end of the input without a line break");
        }
        if (chomp >= 0) {
            out.append('\n');
        }
        if (chomp == 1) {
            out.append("\n".repeat(blanks));
        }
        return out.toString();
    }

    // ---- flow collections ----

    private ArrayNode flowSequence(int n, int depth) {
        ArrayNode seq = NODES.arrayNode();
        if (openFlow(n, depth, ']')) {
            return seq;
        }
        do {
            seq.add(flowNode(n, depth + 1));
        } while (nextFlowEntry(n, ']', "sequence"));
        return seq;
    }

    private ObjectNode flowMapping(int n, int depth) {
        ObjectNode map = NODES.objectNode();
        if (openFlow(n, depth, '}')) {
            return map;
        }
        do {
            byte c = in.buf[in.pos];
            String key;
            if (c == '"') {
                key = doubleQuoted();
            } else if (c == '\'') {
                key = singleQuoted();
            } else if (plainStart(in.pos, true)) {
                key = plainScalar(true);
            } else {
                throw new Unsupported("flow mapping key starting with '" + (char) c + "'");
            }
            flowSpace(n);
            if (in.buf[in.pos] != ':') {
                throw new Unsupported("flow mapping key without a value");
            }
            in.pos++;
            flowSpace(n);
            c = in.buf[in.pos];
            JsonNode value;
            if (c == ',' || c == '}') {
                count(depth + 1);
                value = NODES.nullNode();
            } else {
                value = flowNode(n, depth + 1);
            }
            map.set(key, value);
        } while (nextFlowEntry(n, '}', "mapping"));
        return map;
    }

    /** Counts and opens a flow collection at {@code in.pos}; true when it is empty ({@code close} follows at once). */
    private boolean openFlow(int n, int depth, char close) {
        count(depth);
        in.pos++;
        flowSpace(n);
        if (in.buf[in.pos] == close) {
            in.pos++;
            return true;
        }
        return false;
    }

    /**
     * After an entry of a flow collection: true when a {@code ,} leads to another entry, false when
     * {@code close} ends the collection ({@code [a, b, ]} allows a trailing comma).
     */
    private boolean nextFlowEntry(int n, char close, String collection) {
        flowSpace(n);
        byte c = in.buf[in.pos];
        if (c == ',') {
            in.pos++;
            flowSpace(n);
            if (in.buf[in.pos] != close) {
                return true;
            }
            c = in.buf[in.pos];
        }
        if (c == close) {
            in.pos++;
            return false;
        }
        throw new Unsupported("flow " + collection + " entry followed by '" + (char) c + "'");
    }

    private JsonNode flowNode(int n, int depth) {
        byte c = in.buf[in.pos];
        switch (c) {
            case '[' -> {
                return flowSequence(n, depth);
            }
            case '{' -> {
                return flowMapping(n, depth);
            }
            case '"' -> {
                count(depth);
                return NODES.stringNode(doubleQuoted());
            }
            case '\'' -> {
                count(depth);
                return NODES.stringNode(singleQuoted());
            }
            default -> {
                if (!plainStart(in.pos, true)) {
                    throw new Unsupported("flow node starting with '" + (char) c + "'");
                }
                count(depth);
                return YamlReader.plain(plainScalar(true));
            }
        }
    }

    /**
     * Skips spaces, comments and line breaks inside a flow collection of a block collection at column
     * {@code n}; continuation lines must be indented deeper than {@code n}.
     */
    private void flowSpace(int n) {
        while (true) {
            in.skipSpaces();
            if (in.pos < in.end && in.buf[in.pos] != '#') {
                return;
            }
            if (in.pos < in.end && in.pos > in.start && in.buf[in.pos - 1] != ' ') {
                return;
            }
            if (!in.advance()) {
                throw new Unsupported("unclosed flow collection");
            }
            in.checkStructural();
            int s = in.spaces();
            if (in.start + s < in.end && in.buf[in.start + s] != '#' && s <= n) {
                throw new Unsupported("flow collection continued at or left of its block's column");
            }
            in.pos = in.start + s;
        }
    }

    /**
     * The input as lines of bytes over a buffer that refills from the stream. The current line is
     * {@code buf[start, end)} without its line break; {@code pos} is where parsing is within it. Bytes
     * from {@code keep} on stay in the buffer so that snakeyaml-engine can re-read them.
     */
    private static final class Lines {
        private static final int TAB = 1;
        private static final int CONTROL = 2;
        private static final int NON_ASCII = 4;
        private static final int CR = 8;

        private final InputStream stream;
        private final int maxRetained;
        byte[] buf = new byte[1 << 16];
        int limit;
        long base;
        boolean eof;
        int start;
        int end;
        int next;
        int pos;
        int number;
        /** Line breaks inside the current line that are not {@code \n} (a lone CR): they count for the next line's number. */
        private int breaksWithin;
        boolean exists = true;
        boolean terminated;
        int flags;
        /** Column of the current content line's first non-space, or {@link #END} or {@link #MARKER}. */
        int indent;
        /** Absolute offset of the first byte kept for re-reading, or -1; {@link #keepLine} is its line. */
        long keep;
        int keepLine;

        Lines(InputStream stream, int maxRetained) {
            this.stream = stream;
            this.maxRetained = maxRetained;
        }

        long lineStart() {
            return base + start;
        }

        /** Moves to the next line; false at the end of the input. */
        boolean advance() {
            if (!exists) {
                return false;
            }
            start = next;
            int i = start;
            int f = 0;
            while (true) {
                byte[] b = buf;
                int l = limit;
                for (; i < l; i++) {
                    byte x = b[i];
                    if (x < 0x20 || x == 0x7f) {
                        if (x == '\n') {
                            break;
                        }
                        f |= x < 0 ? NON_ASCII : x == '\t' ? TAB : x == '\r' ? CR : CONTROL;
                    }
                }
                if (i < limit || eof) {
                    break;
                }
                i -= fill();
            }
            if (i == start && i == limit) {
                exists = false;
                indent = END;
                return false;
            }
            number += 1 + breaksWithin;
            breaksWithin = 0;
            terminated = i < limit;
            next = terminated ? i + 1 : i;
            end = i;
            if ((f & CR) != 0) {
                f &= ~CR;
                if (terminated && end > start && buf[end - 1] == '\r') {
                    end--;
                }
                for (int k = start; k < end; k++) {
                    if (buf[k] == '\r') {
                        f |= CONTROL;
                        breaksWithin++;
                    }
                }
            }
            flags = f;
            if ((f & NON_ASCII) != 0 && !printable()) {
                flags |= CONTROL;
            }
            pos = start;
            return true;
        }

        /** Compacts and refills the buffer; returns by how much indexes moved down. */
        private int fill() {
            int from = start;
            if (keep >= 0) {
                from = (int) Math.min(from, keep - base);
            }
            if (keep >= 0 && limit - from > maxRetained) {
                throw new Unsupported("document over " + maxRetained + " bytes kept (BlockYamlReader.MAX_RETAINED)");
            }
            if (from > 0) {
                System.arraycopy(buf, from, buf, 0, limit - from);
                limit -= from;
                base += from;
                start -= from;
                next -= from;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            try {
                int n = stream.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    eof = true;
                } else {
                    limit += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return from;
        }

        /** Whether the current line, decoded, has only characters YAML allows (snakeyaml-engine's check). */
        private boolean printable() {
            String s = new String(buf, start, end - start, StandardCharsets.UTF_8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80 && (c < 0xA0 || c == 0x2028 || c == 0x2029 || c == 0xFEFF || c >= 0xFFFE
                        || Character.isSurrogate(c))) {
                    return false;
                }
            }
            return true;
        }

        boolean hasControl() {
            return (flags & CONTROL) != 0;
        }

        /** Lines parsed as structure may hold no tab and no control character. */
        void checkStructural() {
            if ((flags & (TAB | CONTROL)) != 0) {
                throw new Unsupported("tab or control character");
            }
        }

        boolean startsWithBom() {
            return end - start >= 3 && buf[start] == (byte) 0xEF && buf[start + 1] == (byte) 0xBB && buf[start + 2] == (byte) 0xBF;
        }

        /** Leading spaces of the current line. */
        int spaces() {
            int i = start;
            while (i < end && buf[i] == ' ') {
                i++;
            }
            return i - start;
        }

        void skipSpaces() {
            while (pos < end && buf[pos] == ' ') {
                pos++;
            }
        }

        /** Whether the rest of the line from {@code pos} is blank or a comment. */
        boolean restBlank() {
            int i = pos;
            while (i < end && buf[i] == ' ') {
                i++;
            }
            return i == end || (buf[i] == '#' && (i == start || buf[i - 1] == ' '));
        }

        /** Whether {@code p} holds a sequence entry indicator: {@code -} then a space or the line end. */
        boolean dashAt(int p) {
            return p < end && buf[p] == '-' && (p + 1 == end || buf[p + 1] == ' ');
        }

        boolean isMarker() {
            return end - start >= 3 && buf[start] == '-' && buf[start + 1] == '-' && buf[start + 2] == '-'
                    && (end - start == 3 || buf[start + 3] == ' ' || buf[start + 3] == '\t');
        }

        private boolean isEndMarker() {
            return end - start >= 3 && buf[start] == '.' && buf[start + 1] == '.' && buf[start + 2] == '.'
                    && (end - start == 3 || buf[start + 3] == ' ' || buf[start + 3] == '\t');
        }

        /** Moves past the current line to the next content line. */
        void advanceToContent() {
            advance();
            findContent();
        }

        /**
         * From the current line on, skips blank and comment lines; sets {@link #indent} and {@link #pos}
         * for the content line found, or {@link #indent} to {@link #END} or {@link #MARKER}.
         */
        void findContent() {
            while (exists) {
                int s = spaces();
                if (start + s < end && buf[start + s] != '#') {
                    if (s == 0) {
                        if (isMarker()) {
                            indent = MARKER;
                            return;
                        }
                        if (isEndMarker() || buf[start] == '%') {
                            throw new Unsupported("document end marker or directive");
                        }
                    }
                    checkStructural();
                    indent = s;
                    pos = start + s;
                    return;
                }
                if ((flags & CONTROL) != 0) {
                    throw new Unsupported("control character in a comment");
                }
                advance();
            }
            indent = END;
        }

        /** The index of the quote closing the quoted scalar that opens at {@code p}, or -1 if not on this line. */
        int closingQuote(int p) {
            byte q = buf[p];
            for (int i = p + 1; i < end; i++) {
                byte x = buf[i];
                if (q == '"' && x == '\\') {
                    i++;
                } else if (x == q) {
                    if (q == '\'' && i + 1 < end && buf[i + 1] == '\'') {
                        i++;
                    } else {
                        return i;
                    }
                }
            }
            return -1;
        }

        /**
         * The text of {@code buf[from, to)}. Short ASCII texts come from a small table of recent strings,
         * so the keys, verbs, kinds and names that repeat through a cluster are one object each.
         */
        String text(int from, int to) {
            int len = to - from;
            if ((flags & NON_ASCII) != 0) {
                return new String(buf, from, len, StandardCharsets.UTF_8);
            }
            if (len > SHARED_MAX_LENGTH) {
                return new String(buf, from, len, StandardCharsets.ISO_8859_1);
            }
            int h = len;
            for (int i = from; i < to; i++) {
                h = 31 * h + buf[i];
            }
            int slot = (h ^ (h >>> 16)) & (shared.length - 1);
            String s = shared[slot];
            if (s != null && s.length() == len) {
                int i = 0;
                while (i < len && s.charAt(i) == buf[from + i]) {
                    i++;
                }
                if (i == len) {
                    return s;
                }
            }
            s = new String(buf, from, len, StandardCharsets.ISO_8859_1);
            shared[slot] = s;
            return s;
        }

        /** Longest text the shared-string table holds. */
        private static final int SHARED_MAX_LENGTH = 32;
        private final String[] shared = new String[4096];

        /**
         * The input from {@link #keep} (which must be the start of a line) to the next line that starts
         * a document — {@code ---}, or a directive after {@code ...} — after {@code header}; the line found
         * stays current. With {@code wholeDocument} the directives and {@code ---} that open the first
         * document are part of the slice.
         */
        InputStream slice(byte[] header, boolean wholeDocument) {
            rewind();
            return new InputStream() {
                int h;
                int at = -1;
                int to;
                boolean prologue = wholeDocument;
                boolean afterEnd;
                boolean done;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] out, int off, int len) {
                    if (h < header.length) {
                        int n = Math.min(len, header.length - h);
                        System.arraycopy(header, h, out, off, n);
                        h += n;
                        return n;
                    }
                    while (at < 0 || at == to) {
                        if (done || !nextSliceLine()) {
                            done = true;
                            return -1;
                        }
                    }
                    int n = Math.min(len, to - at);
                    System.arraycopy(buf, at, out, off, n);
                    at += n;
                    return n;
                }

                private boolean nextSliceLine() {
                    if (!advance()) {
                        return false;
                    }
                    boolean directive = end > start && buf[start] == '%';
                    if (!prologue && (isMarker() || (directive && afterEnd))) {
                        return false;
                    }
                    int s = spaces();
                    boolean blank = start + s == end || buf[start + s] == '#';
                    if (prologue && (isMarker() || !(blank || directive))) {
                        prologue = false;
                    }
                    if (isEndMarker()) {
                        afterEnd = true;
                    } else if (!blank) {
                        afterEnd = false;
                    }
                    keep = -1;
                    at = start;
                    to = next;
                    return true;
                }
            };
        }

        /** Makes the kept line the next one {@link #advance} reads. */
        private void rewind() {
            next = (int) (keep - base);
            number = keepLine - 1;
            breaksWithin = 0;
            exists = true;
        }
    }
}
