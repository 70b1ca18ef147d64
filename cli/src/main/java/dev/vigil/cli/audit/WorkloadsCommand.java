package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.cis.NodeAudit;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Rule;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.report.Tally;
import dev.vigil.posture.source.ObjectSource;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
import dev.vigil.posture.workload.WorkloadAudit;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil audit workloads}: hardening checks beyond the Pod Security Standards and the CIS
 * section 5 controls the API shows; with {@code --node}, the CIS section 4 checks readable on this node.
 */
@Command(name = "workloads", mixinStandardHelpOptions = true,
        description = {"Hardening and CIS Kubernetes Benchmark checks of workloads, services, network policies and service accounts.",
                "With --node, also the CIS section 4 kubelet checks of this node (files under --node-root).",
                "Exit codes: 0 done, 3 --fail-on matched, 1 error, 2 usage."})
public final class WorkloadsCommand implements Callable<Integer> {

    private static final List<ResourceKind> KINDS = List.of(ResourceKind.NAMESPACE, ResourceKind.SERVICE_ACCOUNT,
            ResourceKind.ROLE_BINDING, ResourceKind.CLUSTER_ROLE_BINDING, ResourceKind.NETWORK_POLICY, ResourceKind.SERVICE,
            ResourceKind.POD, ResourceKind.DEPLOYMENT, ResourceKind.STATEFUL_SET, ResourceKind.DAEMON_SET,
            ResourceKind.REPLICA_SET, ResourceKind.REPLICATION_CONTROLLER, ResourceKind.JOB, ResourceKind.CRON_JOB);

    @Option(names = "--node", description = "Also run the CIS section 4 checks of this node's kubelet files.")
    boolean node;

    @Option(names = "--node-root", paramLabel = "DIR", defaultValue = "/",
            description = "Root folder the node files are read under (default /).")
    Path nodeRoot;

    @Option(names = "--node-only", description = "Run only the node checks; read no cluster or files.")
    boolean nodeOnly;

    @Mixin
    InputOptions input;

    @Mixin
    ReportOptions report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Waivers waivers = report.loadWaivers();
        PrintWriter err = spec.commandLine().getErr();
        boolean runNode = node || nodeOnly;
        if (runNode && !Files.isDirectory(nodeRoot)) {
            throw new UserError("--node-root " + nodeRoot + " is not a folder: pass the node's root, e.g. / or /host");
        }
        KubernetesClient client = nodeOnly || input.fromFiles() ? null : input.client();
        try {
            ObjectSource source = nodeOnly ? null : input.source(client, KINDS);
            List<Rule> rules = new ArrayList<>(nodeOnly ? List.of() : WorkloadAudit.rules());
            if (runNode) {
                rules.addAll(NodeAudit.rules());
            }
            String described = (source == null ? "" : source.describe()) + (runNode ? (source == null ? "" : " and ") + "node files under " + nodeRoot : "");
            AuditInfo info = new AuditInfo("workloads", "Workload hardening and CIS checks", described, AuditInfo.vigilVersion(), rules);
            Writer out = report.open(System.out);
            Tally tally = new Tally(report.format().open(out, info));
            WorkloadAudit audit = new WorkloadAudit(waivers, f -> tally.finding(f));
            String note = null;
            if (source != null) {
                AuditRun.stream(source, audit, err);
                audit.finish();
            }
            if (runNode) {
                try {
                    NodeAudit.Counts c = new NodeAudit(nodeRoot, f -> tally.finding(waivers.apply(f, java.util.Map.of()))).run();
                    note = "node: " + c.passed() + " passed, " + c.failed() + " failed, " + c.notFound() + " not found";
                } catch (IOException e) {
                    throw new UserError("node checks failed: " + e.getMessage());
                }
            }
            Summary s = audit.summary();
            Summary summary = new Summary(s.objects(), s.anomalyCount(), s.anomalies(),
                    source == null ? note : note == null ? s.note() : s.note() + "; " + note);
            tally.finish(summary);
            report.close(out);
            AuditRun.printAnomalies(summary, err);
            err.println("vigil: workloads: " + summary.objects() + " objects" + (summary.note() == null ? "" : ", " + summary.note())
                    + "; " + tally.describe());
            err.flush();
            return report.exitCode(tally);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
