package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PolicyVersion;
import dev.vigil.posture.pss.PssAudit;
import dev.vigil.posture.pss.PssJsonWriter;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Format;
import dev.vigil.posture.report.ReportWriter;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.report.Tally;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.FileSource;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.ObjectSource;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil audit pss}: Pod Security Standards, judged as the admission judges them, for Pods and
 * the pod templates of workload controllers, at a given level and version or, without {@code --level},
 * by each namespace's {@code pod-security.kubernetes.io} labels.
 */
@Command(name = "pss",
        description = {"Evaluate Pods and pod templates against the Pod Security Standards exactly as the admission does.",
                "Without --level each namespace is judged by its pod-security.kubernetes.io/enforce|audit|warn labels.",
                "Exit codes: 0 done, 3 --fail-on matched, 1 error, 2 usage."})
public final class PssCommand implements Callable<Integer> {

    @Option(names = "--level", paramLabel = "LEVEL",
            description = "baseline or restricted (default: each namespace's pod-security.kubernetes.io labels).")
    String level;

    @Option(names = "--version", paramLabel = "VERSION", defaultValue = "latest",
            description = "Policy version v1.N or latest (default: latest). Used with --level.")
    String version;

    @Mixin
    InputOptions input;

    @Mixin
    ReportOptions report;

    // No mixinStandardHelpOptions: --version names the Pod Security Standards version here.
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Level lvl;
        PolicyVersion ver;
        try {
            lvl = level == null ? null : Level.parse(level);
            ver = PolicyVersion.parse(version);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Waivers waivers = report.loadWaivers();
        PrintWriter err = spec.commandLine().getErr();
        KubernetesClient client = input.fromFiles() ? null : input.client();
        try {
            List<ResourceKind> kinds = new ArrayList<>(ResourceKind.WORKLOADS);
            if (lvl == null) {
                kinds.addFirst(ResourceKind.NAMESPACE);
            }
            ObjectSource source = input.source(client, kinds);
            String title = "Pod Security Standards " + (lvl == null ? "by namespace labels" : lvl.label() + ":" + ver.label());
            AuditInfo info = new AuditInfo("pss", title, source.describe(), AuditInfo.vigilVersion(), PssAudit.rules());
            Writer out = report.open(System.out);
            boolean json = report.format() == Format.JSON;
            PssJsonWriter lines = json ? new PssJsonWriter(out) : null;
            Tally tally = new Tally(json ? DISCARD : report.format().open(out, info));
            PssAudit audit = new PssAudit(lvl, ver, waivers, r -> {
                if (lines != null) {
                    lines.write(r);
                }
                for (Finding f : r.findings()) {
                    tally.finding(f);
                }
            });
            if (lvl == null && input.fromFiles()) {
                readNamespaces(input.fileSource(), audit);
            }
            AuditRun.stream(source, audit, err);
            Summary summary = audit.summary();
            tally.finish(summary);
            if (lines != null) {
                lines.flush();
            }
            report.close(out);
            AuditRun.printAnomalies(summary, err);
            err.println("vigil: pss: " + summary.objects() + " objects, " + audit.note() + "; " + tally.describe());
            err.flush();
            return report.exitCode(tally);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    /** Label mode on files: a first pass learns the namespaces' labels, wherever they appear in the input. */
    private static void readNamespaces(FileSource files, PssAudit audit) {
        if (files.readsStdin()) {
            throw new UserError("--level is required when reading stdin (-f -): namespace labels need a second pass over the input");
        }
        try {
            files.read(new ObjectSink() {
                @Override
                public void object(KubeObject object) {
                    if (object.kind().equals("Namespace")) {
                        audit.namespace(object.name(), object.labels());
                    }
                }

                @Override
                public void anomaly(Anomaly anomaly) {
                    // reported by the main pass
                }
            });
        } catch (java.io.IOException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static final ReportWriter DISCARD = new ReportWriter() {
        @Override
        public void finding(Finding finding) {
        }

        @Override
        public void finish(Summary summary) {
        }
    };
}
