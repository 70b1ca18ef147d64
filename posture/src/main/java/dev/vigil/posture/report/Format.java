package dev.vigil.posture.report;

import java.io.Writer;
import java.util.Locale;

/** The report formats every audit offers; {@link #open} makes the writer. */
public enum Format {
    /** Plain text grouped by resource (default). */
    TABLE,
    /** JSON lines, one per finding. */
    JSON,
    /** SARIF 2.1.0. */
    SARIF,
    /** JUnit XML. */
    JUNIT,
    /** One self-contained HTML page. */
    HTML;

    public ReportWriter open(Writer out, AuditInfo info) {
        return switch (this) {
            case TABLE -> new TableWriter(out, info);
            case JSON -> new JsonWriter(out);
            case SARIF -> new SarifWriter(out, info);
            case JUNIT -> new JunitWriter(out, info);
            case HTML -> new HtmlWriter(out, info);
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
