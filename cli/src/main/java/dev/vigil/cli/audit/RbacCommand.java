package dev.vigil.cli.audit;

import dev.vigil.posture.podspec.PodTemplates;
import dev.vigil.posture.rbac.RbacAudit;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil audit rbac}: risky rights per subject, anonymous bindings, bindings to missing roles
 * and workloads under risky service accounts; subcommands answer who-can, can-i and effective
 * permissions exactly as the Kubernetes RBAC authorizer would.
 */
@Command(name = "rbac", mixinStandardHelpOptions = true,
        description = {"Review RBAC: risky rights, anonymous bindings, missing roles, risky workloads.",
                "Exit codes: 0 done, 3 --fail-on matched, 1 error, 2 usage."},
        subcommands = {WhoCanCommand.class, CanICommand.class, PermissionsCommand.class})
public final class RbacCommand implements Callable<Integer> {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Mixin
    InputOptions input;

    @Mixin
    ReportOptions report;

    @Option(names = "--include-system",
            description = "Also report Kubernetes' own subjects (system:* users and groups, kube-system service accounts).")
    boolean includeSystem;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Waivers waivers = report.loadWaivers();
        PrintWriter err = spec.commandLine().getErr();
        Loaded l = load(input, true, err);
        long start = System.nanoTime();
        long cpu = CPU.getCurrentThreadCpuTime();
        var findings = new RbacAudit(l.policy(), includeSystem).run(PodTemplates.topLevel(l.workloads()), l.automount());
        err.printf("vigil: rbac: read %d roles, %d bindings, %d workloads in %d ms; indexed in %d ms (cpu %d ms); "
                        + "audited in %d ms (cpu %d ms)%n",
                l.policy().roles().size(), l.policy().bindings().size(), l.workloads().size(),
                l.readNanos() / 1_000_000, l.buildNanos() / 1_000_000, l.buildCpuNanos() / 1_000_000,
                (System.nanoTime() - start) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu) / 1_000_000);
        l.policy().anomalies().forEach(a -> err.println("vigil: " + a));
        AuditInfo info = new AuditInfo("rbac", "RBAC review", l.input(), AuditInfo.vigilVersion(), List.of());
        Summary s = l.summary();
        Summary summary = new Summary(s.objects(), s.anomalyCount(), s.anomalies(), l.policy().roles().size() + " roles, "
                + l.policy().bindings().size() + " bindings, " + l.workloads().size() + " workloads");
        return FindingReport.write(report, waivers, info, findings, summary, err);
    }

    /** What the RBAC commands need from the input. */
    record Loaded(RbacPolicy policy, List<PodTemplates.Workload> workloads, Map<String, Boolean> automount,
                  String input, Summary summary, long readNanos, long buildNanos, long buildCpuNanos) {
    }

    /** Reads the RBAC objects (and, with {@code workloads}, pods, workload controllers and service accounts). */
    static Loaded load(InputOptions input, boolean workloads, PrintWriter err) {
        List<ResourceKind> kinds = new ArrayList<>(FabricObjects.RBAC_KINDS);
        if (workloads) {
            kinds.add(ResourceKind.SERVICE_ACCOUNT);
            kinds.addAll(FabricObjects.WORKLOAD_KINDS);
        }
        KubernetesClient client = input.fromFiles() ? null : input.client();
        try {
            var source = input.source(client, kinds);
            RbacPolicy.Builder b = RbacPolicy.builder();
            List<PodTemplates.Workload> found = new ArrayList<>();
            Map<String, Boolean> automount = new HashMap<>();
            long start = System.nanoTime();
            Summary summary = FabricObjects.read(source, (o, k) -> {
                if (!b.add(o) && workloads) {
                    PodTemplates.of(o, k.origin().file(), k.origin().line()).ifPresent(found::add);
                    if (o instanceof ServiceAccount sa && sa.getAutomountServiceAccountToken() != null) {
                        automount.put(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(),
                                sa.getAutomountServiceAccountToken());
                    }
                }
            }, err);
            long read = System.nanoTime();
            long cpu = CPU.getCurrentThreadCpuTime();
            RbacPolicy policy = b.build();
            return new Loaded(policy, found, automount, source.describe(), summary, read - start,
                    System.nanoTime() - read, CPU.getCurrentThreadCpuTime() - cpu);
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
