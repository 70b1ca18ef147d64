package dev.vigil.posture.report;

import dev.vigil.model.record.JsonLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * JSON lines, one finding per line as it arrives:
 * <code>{"check","title","severity","resource":{"kind","namespace","name","file","line"},"message",
 * "remediation","references","mitre","waived","waiver":{"source","reason"}}</code>. Nothing is
 * buffered, so arbitrarily many findings stream through.
 */
public final class JsonWriter implements ReportWriter {

    private final Writer out;
    private final StringBuilder buffer = new StringBuilder(512);
    private final JsonLine line = new JsonLine(buffer);
    private final StringBuilder nested = new StringBuilder(128);
    private final JsonLine inner = new JsonLine(nested);

    public JsonWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void finding(Finding f) {
        line.reset()
                .string("check", f.check())
                .string("title", f.title())
                .string("severity", f.severity().label())
                .raw("resource", resource(inner, f.resource()))
                .string("message", f.message())
                .string("remediation", f.remediation())
                .strings("references", f.references())
                .strings("mitre", f.mitre())
                .bool("waived", f.waived());
        if (f.waived()) {
            inner.reset().string("source", f.waiver().source()).string("reason", f.waiver().reason());
            line.raw("waiver", inner.end());
        }
        write(line.end().append('\n'));
    }

    /** The resource as a JSON object: kind, namespace, name and, for file input, file and line. */
    public static CharSequence resource(JsonLine into, Resource r) {
        into.reset().string("kind", r.kind()).string("namespace", r.namespace()).string("name", r.name())
                .string("file", r.file());
        if (r.line() > 0) {
            into.number("line", r.line());
        }
        return into.end();
    }

    @Override
    public void finish(Summary summary) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(CharSequence s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
