package dev.vigil.net.app;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zeek's tab-separated logs and {@code zeek-cut} outputs as rows of named columns, and Vigil records
 * rendered the same way ({@code T}/{@code F}, {@code -} for unset, sets joined by commas), so
 * conformance tests compare with a suite's own Baseline files column by column.
 */
public final class ZeekLog {

    private ZeekLog() {
    }

    /** Rows of a Zeek log ({@code #fields} header) or of a {@code .cut} file (first line names the columns). */
    public static List<Map<String, String>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] columns = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("#fields\t")) {
                columns = line.substring(8).split("\t", -1);
            } else if (line.startsWith("#") || line.isBlank()) {
                continue;
            } else if (columns == null) {
                columns = line.split("\t", -1);
            } else {
                String[] values = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.length && i < values.length; i++) {
                    row.put(columns[i], values[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The record's fields as Zeek would print them in a log. */
    public static Map<String, String> fields(LogRecord record) {
        Map<String, String> out = new LinkedHashMap<>();
        record.writeTo(new FieldSink() {
            @Override
            public FieldSink string(String name, CharSequence value) {
                if (value != null) {
                    out.put(name, value.isEmpty() ? "(empty)" : value.toString());
                }
                return this;
            }

            @Override
            public FieldSink number(String name, long value) {
                out.put(name, Long.toString(value));
                return this;
            }

            @Override
            public FieldSink decimal(String name, double value) {
                out.put(name, Double.toString(value));
                return this;
            }

            @Override
            public FieldSink bool(String name, Boolean value) {
                if (value != null) {
                    out.put(name, value ? "T" : "F");
                }
                return this;
            }

            @Override
            public FieldSink strings(String name, List<String> values) {
                if (values != null) {
                    out.put(name, values.isEmpty() ? "(empty)" : String.join(",", values));
                }
                return this;
            }

            @Override
            public FieldSink numbers(String name, long[] values) {
                if (values != null) {
                    StringBuilder b = new StringBuilder();
                    for (long v : values) {
                        b.append(b.isEmpty() ? "" : ",").append(v);
                    }
                    out.put(name, b.isEmpty() ? "(empty)" : b.toString());
                }
                return this;
            }
        });
        return out;
    }

    /** The record's values for {@code columns}, {@code -} where unset, for comparing with a Baseline row. */
    public static Map<String, String> project(LogRecord record, Iterable<String> columns) {
        Map<String, String> all = fields(record);
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : columns) {
            out.put(c, all.getOrDefault(c, "-"));
        }
        return out;
    }
}
