package dev.vigil.cli.audit;

import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.report.Tally;
import dev.vigil.posture.waiver.Waivers;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;
import java.util.function.Consumer;

/** Writes the findings of an audit that produces findings rather than per-object results (RBAC, attack paths, images). */
final class FindingReport {

    private FindingReport() {
    }

    /**
     * Runs {@code audit}, which pushes its findings as it makes them, applies the waivers, writes the
     * report as findings arrive, prints the tally on stderr and returns the exit code.
     */
    static int write(ReportOptions report, Waivers waivers, AuditInfo info, Consumer<Consumer<Finding>> audit,
                     Summary summary, PrintWriter err) {
        Writer out = report.open(System.out);
        Tally tally = new Tally(report.format().open(out, info));
        audit.accept(f -> tally.finding(waivers.apply(f, Map.of())));
        tally.finish(summary);
        report.close(out);
        AuditRun.printAnomalies(summary, err);
        err.println("vigil: " + info.audit() + ": " + summary.objects() + " objects"
                + (summary.note() == null ? "" : ", " + summary.note()) + "; " + tally.describe());
        err.flush();
        return report.exitCode(tally);
    }
}
