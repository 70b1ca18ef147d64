package dev.vigil.agent.sink;

import dev.vigil.model.record.JsonLine;
import dev.vigil.model.record.LogRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JSON-lines file or standard output, written by one thread (a {@link dev.vigil.agent.BoundedStage}'s):
 * one object per line, buffered and flushed by the caller at the end of each batch. A file is
 * appended to, so a restarted agent continues its log. A write error (disk full, the reader of a pipe
 * went away) closes the output and is counted; the agent goes on.
 */
public final class JsonLinesOutput implements AutoCloseable {

    /** Characters buffered before a write reaches the file. */
    public static final int BUFFER_CHARS = 1 << 16;

    private final String target;
    private final Writer out;
    private final boolean ownsStream;
    private final StringBuilder line = new StringBuilder(1024);
    private final JsonLine json = new JsonLine(line);
    private char[] chars = new char[4096];
    private long written;
    private long failures;
    private String failure;
    private boolean closed;

    private JsonLinesOutput(String target, Writer out, boolean ownsStream) {
        this.target = target;
        this.out = out;
        this.ownsStream = ownsStream;
    }

    /**
     * Opens {@code target}: {@code -} for {@code stdout}, else a file created or appended to.
     *
     * @throws IOException naming the file when it cannot be opened
     */
    public static JsonLinesOutput open(String target, OutputStream stdout) throws IOException {
        if (target.equals("-")) {
            return new JsonLinesOutput("standard output",
                    new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), BUFFER_CHARS), false);
        }
        Path file = Path.of(target);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonLinesOutput(target, new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8),
                BUFFER_CHARS), true);
    }

    /** Writes {@code record} as {@code {"log":…,"ts":…,…}}. */
    public void record(LogRecord record) {
        json.begin(record);
        json.end();
        writeLine();
    }

    /** Writes one JSON object that a producer rendered into {@link #buffer()}. */
    public void rendered() {
        writeLine();
    }

    /** The buffer to render one object into before {@link #rendered()}; emptied here. */
    public StringBuilder buffer() {
        line.setLength(0);
        return line;
    }

    private void writeLine() {
        if (closed) {
            return;
        }
        line.append('\n');
        int n = line.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        line.getChars(0, n, chars, 0);
        try {
            out.write(chars, 0, n);
            written++;
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Pushes buffered lines to the file or pipe. */
    public void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        failures++;
        failure = "writing to " + target + " failed: " + e.getMessage() + "; output stopped";
        closed = true;
    }

    /** Where lines go ({@code standard output} or the file name). */
    public String target() {
        return target;
    }

    public long written() {
        return written;
    }

    /** Write failures (after the first the output is closed). */
    public long failures() {
        return failures;
    }

    /** Why the output stopped, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        if (ownsStream) {
            try {
                out.close();
            } catch (IOException e) {
                failures++;
            }
        }
    }
}
