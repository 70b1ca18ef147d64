package dev.vigil.agent.sink;

import dev.vigil.model.record.JsonLine;
import dev.vigil.model.record.LogRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    /** Bytes buffered before a write reaches the file. */
    public static final int BUFFER_BYTES = 1 << 16;

    private final String target;
    private final OutputStream out;
    private final boolean ownsStream;
    /** Records are rendered as the UTF-8 bytes that are written; objects rendered elsewhere come as text here. */
    private final JsonLine json = new JsonLine();
    private final StringBuilder line = new StringBuilder(1024);
    private long written;
    private long failures;
    private String failure;
    private boolean closed;

    private JsonLinesOutput(String target, OutputStream out, boolean ownsStream) {
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
            return new JsonLinesOutput("standard output", new BufferedOutputStream(stdout, BUFFER_BYTES), false);
        }
        Path file = Path.of(target);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonLinesOutput(target, new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), BUFFER_BYTES), true);
    }

    /** Writes {@code record} as {@code {"log":…,"ts":…,…}}. */
    public void record(LogRecord record) {
        json.begin(record).finish();
        writeLine(json.bytes(), json.length());
    }

    /** Writes one JSON object that a producer rendered into {@link #buffer()}. */
    public void rendered() {
        byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
        writeLine(utf8, utf8.length);
    }

    /** The buffer to render one object into before {@link #rendered()}; emptied here. */
    public StringBuilder buffer() {
        line.setLength(0);
        return line;
    }

    private void writeLine(byte[] utf8, int length) {
        if (closed) {
            return;
        }
        try {
            out.write(utf8, 0, length);
            out.write('\n');
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
