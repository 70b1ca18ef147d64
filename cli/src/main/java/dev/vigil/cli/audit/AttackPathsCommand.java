package dev.vigil.cli.audit;

import dev.vigil.cli.UserError;
import dev.vigil.posture.attackpath.AttackGraph;
import dev.vigil.posture.attackpath.AttackPaths;
import dev.vigil.posture.attackpath.AttackPaths.AttackPath;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil audit attack-paths}: ranked paths from entry points to critical targets, one finding
 * per path (its message lists the steps, its MITRE field their techniques); {@code --format table}
 * prints the paths step by step.
 */
@Command(name = "attack-paths", mixinStandardHelpOptions = true,
        description = {"Find the shortest attack paths from entry points (the internet, anonymous requests, any "
                + "authenticated user, any compromised pod) to cluster-admin equivalence, all secrets or root on a node.",
                "Every step names its MITRE ATT&CK technique. Exit codes: 0 done, 3 --fail-on matched, 1 error, 2 usage."})
public final class AttackPathsCommand implements Callable<Integer> {

    @Option(names = "--max-paths", defaultValue = "" + AttackPaths.DEFAULT_MAX_PATHS, paramLabel = "N",
            description = "Report at most N paths, shortest first. Default: ${DEFAULT-VALUE}.")
    int maxPaths;

    @Mixin
    InputOptions input;

    @Mixin
    ReportOptions report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxPaths < 1) {
            throw new UserError("--max-paths " + maxPaths + " must be at least 1");
        }
        Waivers waivers = report.loadWaivers();
        PrintWriter err = spec.commandLine().getErr();
        List<ResourceKind> kinds = new ArrayList<>(ResourceKind.RBAC);
        kinds.addAll(List.of(ResourceKind.NAMESPACE, ResourceKind.SERVICE_ACCOUNT, ResourceKind.SECRET,
                ResourceKind.SERVICE, ResourceKind.INGRESS));
        kinds.addAll(ResourceKind.WORKLOADS);
        KubernetesClient client = input.fromFiles() ? null : input.client();
        try {
            var source = input.source(client, kinds);
            AttackGraph.Builder b = AttackGraph.builder();
            Summary read = AuditRun.collect(source, b::add, err);
            AttackGraph graph = b.build();
            List<AttackPath> paths = AttackPaths.find(graph, maxPaths);
            String note = "graph of " + graph.nodes().size() + " nodes and " + graph.edges().size() + " steps; "
                    + paths.size() + " paths";
            AuditInfo info = new AuditInfo("attack-paths", "Attack paths", source.describe(), AuditInfo.vigilVersion(), List.of());
            return FindingReport.write(report, waivers, info, AttackPaths.findings(paths)::forEach,
                    new Summary(read.objects(), read.anomalyCount(), read.anomalies(), note), err);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
