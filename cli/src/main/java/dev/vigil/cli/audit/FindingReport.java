package dev.vigil.cli.audit;

import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.report.Tally;
import dev.vigil.posture.waiver.Waivers;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** Writes the findings of an audit computed in one piece (RBAC, attack paths, images) in the chosen format. */
final class FindingReport {

    private FindingReport() {
    }

    /** Applies the waivers, writes the report, prints the tally on stderr and returns the exit code. */
    static int write(ReportOptions report, Waivers waivers, AuditInfo info, List<Finding> findings, Summary summary,
                     PrintWriter err) {
        Writer out = report.open(System.out);
        Tally tally = new Tally(report.format().open(out, info));
        for (Finding f : findings) {
            tally.finding(waivers.apply(f, Map.of()));
        }
        tally.finish(summary);
        report.close(out);
        AuditRun.printAnomalies(summary, err);
        err.println("vigil: " + info.audit() + ": " + summary.objects() + " objects"
                + (summary.note() == null ? "" : ", " + summary.note()) + "; " + tally.describe());
        err.flush();
        return report.exitCode(tally);
    }
}
