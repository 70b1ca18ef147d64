package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.JsonLine;
import dev.vigil.model.record.LogRecord;
import dev.vigil.net.analysis.RecordSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 * <p>JSON lines are rendered into one reused buffer and gathered in a reused character array that
 * goes to the writer in {@link #CHUNK} pieces: no object per record, and the writer's character
 * encoder runs once per chunk instead of once per record.
 */
public final class RecordOutput implements RecordSink, AutoCloseable {

    /** Logs a network analysis can produce, for validating {@code --logs}. */
    public static final Set<String> LOGS = Set.of("conn", "http", "http2", "dns", "smtp", "ssl", "ssh", "postgresql",
            "mysql", "redis", "kafka", "mongodb", "stratum", "notice", "weird");

    private final Writer out;
    private final Set<String> logs;
    private final boolean table;
    /** Characters gathered before they go to the writer. */
    static final int CHUNK = 64 * 1024;

    private final StringBuilder buffer = new StringBuilder(1024);
    private final JsonLine json = new JsonLine(buffer);
    private char[] pending = new char[CHUNK];
    private int pendingLength;
    private final Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
    private long written;

    public RecordOutput(Writer out, Set<String> logs, boolean table) {
        this.out = out;
        this.logs = logs;
        this.table = table;
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
        String log = record.log();
        if (logs == null ? log.equals("weird") : !logs.contains(log)) {
            return;
        }
        written++;
        if (table) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("ts", String.format(Locale.ROOT, "%.6f", record.ts()));
            record.writeTo(new TableRow(row));
            rows.computeIfAbsent(log, k -> new ArrayList<>()).add(row);
            return;
        }
        json.begin(record);
        json.end().append('\n');
        int n = buffer.length();
        if (pendingLength + n > pending.length) {
            flushPending();
            if (n > pending.length) {
                pending = new char[n];
            }
        }
        buffer.getChars(0, n, pending, pendingLength);
        pendingLength += n;
    }

    private void flushPending() {
        try {
            out.write(pending, 0, pendingLength);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pendingLength = 0;
    }

    /** Records written (after filtering). */
    public synchronized long written() {
        return written;
    }

    @Override
    public synchronized void close() throws IOException {
        if (table) {
            printTables();
        }
        flushPending();
        out.flush();
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
            out.append("# ").append(e.getKey()).append('\n');
            appendRow(columns, width, columns::get);
            for (Map<String, String> row : e.getValue()) {
                appendRow(columns, width, i -> row.getOrDefault(columns.get(i), "-"));
            }
            out.append('\n');
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
        out.append(line).append('\n');
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
