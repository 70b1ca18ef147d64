package dev.vigil.cli.audit;

import dev.vigil.posture.rbac.RbacAudit;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.report.AuditInfo;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.PodTemplate;
import dev.vigil.posture.source.ResourceKind;
import dev.vigil.posture.waiver.Waivers;
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
        AuditInfo info = new AuditInfo("rbac", "RBAC review", l.input(), AuditInfo.vigilVersion(), List.of());
        Summary s = l.summary();
        Summary summary = new Summary(s.objects(), s.anomalyCount(), s.anomalies(), l.policy().roles().size() + " roles, "
                + l.policy().bindings().size() + " bindings, " + l.workloads().size() + " workloads");
        l.policy().anomalies().forEach(a -> err.println("vigil: " + a));
        long start = System.nanoTime();
        long cpu = CPU.getCurrentThreadCpuTime();
        RbacAudit audit = new RbacAudit(l.policy(), includeSystem);
        List<PodTemplate> workloads = PodTemplate.topLevel(l.workloads());
        int exit = FindingReport.write(report, waivers, info, out -> audit.run(workloads, l.automount(), out), summary, err);
        err.printf("vigil: rbac: read %d roles, %d bindings, %d workloads in %d ms; indexed in %d ms (cpu %d ms); "
                        + "audited and reported in %d ms (cpu %d ms)%n",
                l.policy().roles().size(), l.policy().bindings().size(), l.workloads().size(),
                l.readNanos() / 1_000_000, l.buildNanos() / 1_000_000, l.buildCpuNanos() / 1_000_000,
                (System.nanoTime() - start) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu) / 1_000_000);
        err.flush();
        return exit;
    }

    /** What the RBAC commands need from the input. */
    record Loaded(RbacPolicy policy, List<PodTemplate> workloads, Map<String, Boolean> automount,
                  String input, Summary summary, long readNanos, long buildNanos, long buildCpuNanos) {
    }

    /** Reads the RBAC objects (and, with {@code workloads}, pods, workload controllers and service accounts). */
    static Loaded load(InputOptions input, boolean workloads, PrintWriter err) {
        List<ResourceKind> kinds = new ArrayList<>(ResourceKind.RBAC);
        if (workloads) {
            kinds.add(ResourceKind.SERVICE_ACCOUNT);
            kinds.addAll(ResourceKind.WORKLOADS);
        }
        KubernetesClient client = input.fromFiles() ? null : input.client();
        try {
            var source = input.source(client, kinds);
            RbacPolicy.Builder b = RbacPolicy.builder();
            List<PodTemplate> found = new ArrayList<>();
            Map<String, Boolean> automount = new HashMap<>();
            long start = System.nanoTime();
            Summary summary = AuditRun.collect(source, o -> {
                if (b.add(o) || !workloads) {
                    return;
                }
                PodTemplate pod = PodTemplate.of(o);
                if (pod != null) {
                    found.add(pod);
                } else if (o.kind().equals("ServiceAccount") && o.json().path("automountServiceAccountToken").isBoolean()) {
                    String ns = o.namespace() == null ? PodTemplate.DEFAULT_NAMESPACE : o.namespace();
                    automount.put(ns + "/" + o.name(), o.json().path("automountServiceAccountToken").booleanValue());
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
