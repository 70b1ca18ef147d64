package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.report.Format;
import dev.vigil.posture.report.Severity;
import dev.vigil.posture.report.Tally;
import dev.vigil.posture.waiver.WaiverFileException;
import dev.vigil.posture.waiver.Waivers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How an audit reports: {@code --format}, {@code --output}, {@code --fail-on}, {@code --waivers} and
 * {@code --allow-annotation-waivers}. Shared by every {@code vigil audit} command.
 */
public final class ReportOptions {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            converter = FormatConverter.class,
            description = "Output format: table (default), json, sarif (SARIF 2.1.0), junit (JUnit XML), html (one self-contained page).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", converter = SeverityConverter.class,
            description = "Exit with code 3 when a finding that is not waived has at least this severity "
                    + "(info, low, medium, high, critical).")
    Severity failOn;

    @Option(names = "--waivers", paramLabel = "FILE",
            description = "YAML waiver file: entries with check, namespace, name (glob), kind, subject and a mandatory reason.")
    Path waivers;

    @Option(names = "--allow-annotation-waivers",
            description = "Honour vigil.dev/waive-<check>: <reason> annotations on the audited objects (off by default).")
    boolean annotationWaivers;

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format f : Format.values()) {
                if (f.label().equals(value)) {
                    return f;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "unknown format '" + value + "': use table, json, sarif, junit or html");
        }
    }

    static final class SeverityConverter implements picocli.CommandLine.ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            try {
                return Severity.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public Format format() {
        return format;
    }

    /** The waivers of {@code --waivers}, with annotation waivers as {@code --allow-annotation-waivers} says. */
    public Waivers loadWaivers() {
        Waivers w = Waivers.none();
        if (waivers != null) {
            if (!Files.isRegularFile(waivers)) {
                throw new UserError("waiver file " + waivers + " not found: pass an existing YAML file to --waivers");
            }
            try {
                w = Waivers.load(waivers);
            } catch (WaiverFileException e) {
                throw new UserError(e.getMessage());
            } catch (IOException e) {
                throw new UserError("cannot read waiver file " + waivers + ": " + e.getMessage());
            }
        }
        return w.withAnnotations(annotationWaivers);
    }

    /** Where the report goes: {@code --output} or stdout. */
    public Writer open(PrintStream stdout) {
        try {
            return output == null
                    ? new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16)
                    : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the report to " + output + ": " + e.getMessage());
        }
    }

    /** 3 when {@code --fail-on} is set and met by a finding that is not waived, else 0. */
    public int exitCode(Tally tally) {
        return failOn != null && tally.exceeds(failOn) ? AuditCommand.EXIT_FINDINGS : 0;
    }

    /** Closes a report file; stdout stays open. */
    public void close(Writer out) {
        try {
            if (output != null) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new UserError("cannot write the report to " + (output == null ? "stdout" : output) + ": " + e.getMessage());
        }
    }
}
