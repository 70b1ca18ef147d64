package dev.vigil.posture.pss;

import dev.vigil.model.record.JsonLine;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * The JSON lines of {@code vigil audit pss --format json}, one per evaluated object:
 * <code>{"resource":{"kind","namespace","name","file","line"},"level","version","allowed",
 * "violations":[{"check","message"}]}</code>. In namespace-label mode a {@code modes} array names the
 * labels ({@code enforce}, {@code audit}, {@code warn}) that asked for the level. A violation may add
 * {@code overriddenBy} and, when waived, {@code waived} and {@code waiver}.
 */
public final class PssJsonWriter {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(512);
    private final StringBuilder part = new StringBuilder(256);
    private final JsonLine json = new JsonLine(line);
    private final JsonLine inner = new JsonLine(part);

    public PssJsonWriter(Writer out) {
        this.out = out;
    }

    public void write(PssAudit.Result r) {
        Decision d = r.decision();
        json.reset().raw("resource", JsonWriter.resource(inner, r.object().resource()))
                .string("level", d.level().label())
                .string("version", d.version().label())
                .bool("allowed", d.allowed());
        if (!r.modes().isEmpty()) {
            json.strings("modes", r.modes());
        }
        StringBuilder violations = new StringBuilder("[");
        List<Violation> vs = d.violations();
        for (int i = 0; i < vs.size(); i++) {
            Violation v = vs.get(i);
            Finding f = r.findings().get(i);
            inner.reset().string("check", v.check()).string("message", v.message()).string("overriddenBy", v.overriddenBy());
            if (f.waived()) {
                inner.bool("waived", true).string("waiver", f.waiver().reason() + " (" + f.waiver().source() + ")");
            }
            violations.append(i == 0 ? "" : ",").append(inner.end());
        }
        json.raw("violations", violations.append(']'));
        try {
            out.append(json.end()).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
