package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.JsonLine;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.RecordSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes network records as JSON lines or, for {@code --format table}, as one aligned table per log
 * printed at the end. Filters by log name. Thread-safe: live capture feeds it from one thread per
 * interface.
 *
 * <p>JSON lines are rendered by a {@link Lines} straight into UTF-8 bytes ({@link JsonLine#finish()})
 * and gathered in a byte array that goes out in {@link #CHUNK} pieces: no object per record, no
 * character encoder. Given an {@code OutputStream}, chunks are written as they are; given a
 * {@code Writer} (tests, live capture), each chunk is decoded once. Analysis threads can each render
 * their own records ({@link #lines}) and hand whole chunks to the thread that writes them.
 */
public final class RecordOutput implements RecordSink, AutoCloseable {

    /** Logs a network analysis can produce, for validating {@code --logs}. */
    public static final Set<String> LOGS = Set.of("conn", "http", "http2", "dns", "smtp", "ssl", "ssh", "postgresql",
            "mysql", "redis", "kafka", "mongodb", "stratum", "notice", "weird");

    /** Bytes gathered before they go out. */
    static final int CHUNK = 64 * 1024;

    private final Writer text;
    private final OutputStream bytes;
    private final Set<String> logs;
    private final boolean table;

    private final Lines lines;
    private final Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();

    /** JSON lines (decoded from UTF-8 chunk by chunk) or tables to {@code out}. */
    public RecordOutput(Writer out, Set<String> logs, boolean table) {
        this(out, null, logs, table);
    }

    /** JSON lines as UTF-8 bytes to {@code out}, which is flushed on {@link #close()} but stays open. */
    public RecordOutput(OutputStream out, Set<String> logs) {
        this(null, out, logs, false);
    }

    private RecordOutput(Writer text, OutputStream bytes, Set<String> logs, boolean table) {
        this.text = text;
        this.bytes = bytes;
        this.logs = logs;
        this.table = table;
        this.lines = new Lines(this::write, false);
    }

    /** Takes a full chunk of rendered lines. */
    @FunctionalInterface
    interface ChunkSink {
        void write(byte[] chunk, int length);
    }

    /**
     * Renders one thread's records as JSON lines (filtered by log) into chunks of about {@link #CHUNK}
     * UTF-8 bytes, each passed whole to a {@link ChunkSink}. Not thread-safe: one per thread.
     */
    final class Lines implements RecordSink {
        private final JsonLine json = new JsonLine();
        private final ChunkSink full;
        private final boolean handsOver;
        private byte[] pending = new byte[CHUNK];
        private int pendingLength;

        /** @param handsOver true when {@code full} keeps the chunk (a fresh one is started), false when it copies it */
        Lines(ChunkSink full, boolean handsOver) {
            this.full = full;
            this.handsOver = handsOver;
        }

        @Override
        public void accept(LogRecord record) {
            if (!wanted(record.log())) {
                return;
            }
            json.begin(record).finish();
            int n = json.length();
            if (pendingLength + n + 1 > pending.length) {
                flush();
                if (n + 1 > pending.length) {
                    pending = new byte[n + 1];
                }
            }
            System.arraycopy(json.bytes(), 0, pending, pendingLength, n);
            pending[pendingLength + n] = '\n';
            pendingLength += n + 1;
        }

        /** Passes on what is gathered. */
        void flush() {
            if (pendingLength > 0) {
                full.write(pending, pendingLength);
                if (handsOver) {
                    pending = new byte[CHUNK];
                }
                pendingLength = 0;
            }
        }
    }

    /** True in {@code --format table}, which collects records and prints them at the end. */
    boolean table() {
        return table;
    }

    /** A JSON-lines renderer for one thread whose chunks go to {@code full}, which keeps them; jsonl format only. */
    Lines lines(ChunkSink full) {
        return new Lines(full, true);
    }

    private boolean wanted(String log) {
        return logs == null ? !log.equals("weird") : logs.contains(log);
    }

    /** Parses {@code --logs conn,http,…}; null or empty means all but {@code weird}. */
    public static Set<String> parseLogs(List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        for (String n : names) {
            if (!LOGS.contains(n)) {
                throw new UserError("--logs: unknown log '" + n + "'; choose from " + new java.util.TreeSet<>(LOGS),
                        dev.vigil.cli.Vigil.EXIT_USAGE);
            }
        }
        return Set.copyOf(names);
    }

    @Override
    public synchronized void accept(LogRecord record) {
        if (!table) {
            lines.accept(record);
            return;
        }
        String log = record.log();
        if (!wanted(log)) {
            return;
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("ts", String.format(Locale.ROOT, "%.6f", record.ts()));
        record.writeTo(new TableRow(row));
        rows.computeIfAbsent(log, k -> new ArrayList<>()).add(row);
    }

    /** Writes a chunk of rendered lines: whole lines, so never a UTF-8 sequence cut in two. */
    synchronized void write(byte[] chunk, int length) {
        try {
            if (bytes != null) {
                bytes.write(chunk, 0, length);
            } else {
                text.write(new String(chunk, 0, length, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing records failed: " + e.getMessage() + "; analysis stopped", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (table) {
            printTables();
        }
        lines.flush();
        try {
            if (bytes != null) {
                bytes.flush();
            } else {
                text.flush();
            }
        } catch (IOException e) {
            throw new IOException("writing records failed: " + e.getMessage(), e);
        }
    }

    private void printTables() throws IOException {
        for (Map.Entry<String, List<Map<String, String>>> e : rows.entrySet()) {
            List<String> columns = new ArrayList<>();
            for (Map<String, String> row : e.getValue()) {
                for (String c : row.keySet()) {
                    if (!columns.contains(c)) {
                        columns.add(c);
                    }
                }
            }
            int[] width = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                width[i] = columns.get(i).length();
                for (Map<String, String> row : e.getValue()) {
                    width[i] = Math.max(width[i], row.getOrDefault(columns.get(i), "-").length());
                }
            }
            text.append("# ").append(e.getKey()).append('\n');
            appendRow(columns, width, columns::get);
            for (Map<String, String> row : e.getValue()) {
                appendRow(columns, width, i -> row.getOrDefault(columns.get(i), "-"));
            }
            text.append('\n');
        }
    }

    private void appendRow(List<String> columns, int[] width, java.util.function.IntFunction<String> cell)
            throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            String v = cell.apply(i);
            line.append(v);
            if (i < columns.size() - 1) {
                line.append(" ".repeat(width[i] - v.length() + 2));
            }
        }
        text.append(line).append('\n');
    }

    /** Collects one record's fields as text cells. */
    private record TableRow(Map<String, String> row) implements FieldSink {
        @Override
        public FieldSink string(String name, CharSequence value) {
            if (value != null) {
                row.put(name, value.toString());
            }
            return this;
        }

        @Override
        public FieldSink number(String name, long value) {
            row.put(name, Long.toString(value));
            return this;
        }

        @Override
        public FieldSink decimal(String name, double value) {
            row.put(name, String.format(Locale.ROOT, "%.6f", value));
            return this;
        }

        @Override
        public FieldSink bool(String name, Boolean value) {
            if (value != null) {
                row.put(name, value ? "T" : "F");
            }
            return this;
        }

        @Override
        public FieldSink strings(String name, List<String> values) {
            if (values != null) {
                row.put(name, values.isEmpty() ? "(empty)" : String.join(",", values));
            }
            return this;
        }

        @Override
        public FieldSink numbers(String name, long[] values) {
            if (values != null) {
                StringBuilder sb = new StringBuilder();
                for (long v : values) {
                    sb.append(sb.isEmpty() ? "" : ",").append(v);
                }
                row.put(name, values.length == 0 ? "(empty)" : sb.toString());
            }
            return this;
        }
    }
}
