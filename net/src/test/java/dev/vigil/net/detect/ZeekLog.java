package dev.vigil.net.detect;

import dev.vigil.model.record.FieldSink;
import dev.vigil.model.record.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zeek's tab-separated logs (a btest Baseline) and Vigil's records in the same shape: each row as a
 * map from field name to Zeek's text for the value ({@code -} unset, {@code T}/{@code F}, vectors
 * joined with commas, intervals with six decimals), so the two compare field by field.
 */
final class ZeekLog {

    private ZeekLog() {
    }

    static List<Map<String, String>> read(Path file) {
        try {
            String[] fields = null;
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#fields\t")) {
                    fields = line.substring(8).split("\t");
                } else if (!line.startsWith("#") && fields != null) {
                    String[] values = line.split("\t", -1);
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < fields.length; i++) {
                        row.put(fields[i], values[i]);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code record}'s fields as Zeek's text; fields the record leaves out read {@code -}. */
    static Map<String, String> of(LogRecord record) {
        Map<String, String> row = new LinkedHashMap<>();
        record.writeTo(new FieldSink() {
            @Override
            public FieldSink string(String name, CharSequence value) {
                if (value != null) {
                    row.put(name, value.isEmpty() ? "(empty)" : value.toString());
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
                row.put(name, String.format(java.util.Locale.ROOT, "%.6f", value));
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
                    row.put(name, String.join(",", values));
                }
                return this;
            }

            @Override
            public FieldSink numbers(String name, long[] values) {
                if (values != null) {
                    row.put(name, String.join(",", Arrays.stream(values).mapToObj(v -> v + ".000000").toList()));
                }
                return this;
            }
        });
        return row;
    }

    /** The {@code fields} of a row, {@code -} where absent, for comparing a Baseline with records. */
    static List<String> pick(Map<String, String> row, List<String> fields) {
        return fields.stream().map(f -> row.getOrDefault(f, "-")).toList();
    }
}
