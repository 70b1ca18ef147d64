package dev.vigil.posture.report;

/**
 * Renders findings in one {@link Format}. Audits call {@link #finding} for each finding as they
 * produce them (waived ones too) and {@link #finish} once at the end. Streaming formats write each
 * finding at once; the others keep them until {@code finish}. I/O failures surface as
 * {@link java.io.UncheckedIOException}.
 */
public interface ReportWriter {

    void finding(Finding finding);

    /** Writes what remains and flushes; the writer is unusable afterwards. */
    void finish(Summary summary);
}
