package dev.vigil.posture.workload;

import dev.vigil.posture.report.Rule;
import dev.vigil.posture.report.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog of workload hardening and CIS section 5 checks: id, title, severity, fix and references. */
public final class WorkloadChecks {

    private WorkloadChecks() {
    }

    /** NSA/CISA Kubernetes Hardening Guide (v1.2, 2022), the reference where CIS has no control. */
    static final String NSA = "NSA/CISA Kubernetes Hardening Guide";

    static final Map<String, Rule> RULES = new LinkedHashMap<>();

    private static void rule(String id, String title, Severity severity, String fix, List<String> tags) {
        RULES.put(id, new Rule(id, title, title, fix, severity, tags, null));
    }

    static {
        rule("image.digest", "Image not pinned by digest", Severity.LOW,
                "Reference images by digest (image@sha256:…) so what runs is what was reviewed.",
                List.of(NSA + ": supply chain", "T1525"));
        rule("image.latest", "Image tagged latest or untagged", Severity.MEDIUM,
                "Use an immutable version tag, better a digest, instead of latest.", List.of(NSA + ": supply chain", "T1525"));
        rule("resources.limits", "No resource limits or requests", Severity.MEDIUM,
                "Set resources.requests and resources.limits for cpu and memory on every container.",
                List.of(NSA + ": resource policies", "T1496", "T1499"));
        rule("serviceaccount.token", "Service account token mounted where the API seems unused", Severity.MEDIUM,
                "Set automountServiceAccountToken: false on the pod (or its service account) unless it calls the API.",
                List.of("CIS-5.1.6", "T1528"));
        rule("serviceaccount.default", "Workload runs as the default service account", Severity.LOW,
                "Create a dedicated service account per workload; leave default without permissions.", List.of("CIS-5.1.5"));
        rule("serviceaccount.default-automount", "Default service account mounts its token", Severity.LOW,
                "Set automountServiceAccountToken: false on each namespace's default service account.", List.of("CIS-5.1.5"));
        rule("runtime.socket", "Container runtime socket mounted", Severity.CRITICAL,
                "Never mount docker.sock, containerd.sock or crio.sock: it gives root on the node.",
                List.of(NSA + ": pod security", "T1610", "T1611"));
        rule("filesystem.writable", "Writable root filesystem", Severity.LOW,
                "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir where the app writes.",
                List.of(NSA + ": immutable container file systems", "T1036"));
        rule("secrets.env", "Secret in an environment variable", Severity.MEDIUM,
                "Mount secrets as files (secret volumes) instead of env; never put secret values in the manifest.",
                List.of("CIS-5.4.1", "T1552.007"));
        rule("namespace.default", "Workload in the default namespace", Severity.LOW,
                "Deploy into a dedicated namespace with its own policies.", List.of("CIS-5.7.4"));
        rule("network-policy.none", "No NetworkPolicy selects the pods", Severity.MEDIUM,
                "Add a NetworkPolicy (a default-deny one first) that selects these pods.", List.of("CIS-5.3.2", NSA + ": network separation", "T1046"));
        rule("network-policy.namespace", "Namespace without NetworkPolicies", Severity.MEDIUM,
                "Create NetworkPolicies in every namespace, starting with default deny.", List.of("CIS-5.3.2"));
        rule("service.exposed", "Service exposed outside the cluster", Severity.MEDIUM,
                "Prefer ClusterIP behind an ingress with authentication; restrict loadBalancerSourceRanges.",
                List.of(NSA + ": network separation", "T1133"));
        rule("namespace.pod-security", "Namespace without an enforced Pod Security level", Severity.LOW,
                "Label the namespace pod-security.kubernetes.io/enforce=baseline (or restricted).", List.of("CIS-5.2.1"));
        rule("security-context.missing", "No security context", Severity.LOW,
                "Set a securityContext on the pod and containers (runAsNonRoot, seccomp, dropped capabilities).", List.of("CIS-5.7.3"));
        rule("CIS-5.2.2", "Privileged container admitted", Severity.CRITICAL, "Remove privileged: true.", List.of("CIS-5.2.2", "T1611"));
        rule("CIS-5.2.3", "Container shares the host PID namespace", Severity.HIGH, "Remove hostPID: true.", List.of("CIS-5.2.3", "T1611"));
        rule("CIS-5.2.4", "Container shares the host IPC namespace", Severity.HIGH, "Remove hostIPC: true.", List.of("CIS-5.2.4", "T1611"));
        rule("CIS-5.2.5", "Container shares the host network namespace", Severity.HIGH, "Remove hostNetwork: true.", List.of("CIS-5.2.5", "T1611"));
        rule("CIS-5.2.6", "allowPrivilegeEscalation not false", Severity.MEDIUM, "Set allowPrivilegeEscalation: false.", List.of("CIS-5.2.6", "T1548"));
        rule("CIS-5.2.7", "Container may run as root", Severity.MEDIUM, "Set runAsNonRoot: true and a non-zero runAsUser.", List.of("CIS-5.2.7"));
        rule("CIS-5.2.8", "Container adds NET_RAW", Severity.HIGH, "Do not add NET_RAW; drop ALL.", List.of("CIS-5.2.8", "T1557"));
        rule("CIS-5.2.9", "Container adds capabilities", Severity.MEDIUM, "Add no capabilities beyond NET_BIND_SERVICE.", List.of("CIS-5.2.9"));
        rule("CIS-5.2.10", "Container does not drop all capabilities", Severity.LOW, "Set capabilities.drop: [\"ALL\"].", List.of("CIS-5.2.10"));
        rule("CIS-5.2.11", "Windows HostProcess container", Severity.CRITICAL, "Remove windowsOptions.hostProcess.", List.of("CIS-5.2.11", "T1611"));
        rule("CIS-5.2.12", "hostPath volume", Severity.HIGH, "Replace hostPath volumes.", List.of("CIS-5.2.12", "T1611"));
        rule("CIS-5.2.13", "Container uses a host port", Severity.MEDIUM, "Remove hostPort.", List.of("CIS-5.2.13"));
        rule("CIS-5.7.2", "Seccomp profile not set", Severity.LOW, "Set seccompProfile.type: RuntimeDefault.", List.of("CIS-5.7.2"));
    }

    /** Every workload and CIS section 5 rule. */
    public static List<Rule> rules() {
        return List.copyOf(RULES.values());
    }

    /**
     * CIS Kubernetes Benchmark section 5 controls left to the RBAC audit (posture-b): 5.1.1 cluster-admin use,
     * 5.1.2 secrets access, 5.1.3 wildcards, 5.1.4 create pods, 5.1.7 system:masters, 5.1.8 bind/impersonate/escalate,
     * 5.1.9 persistent volumes, 5.1.10 nodes/proxy, 5.1.11 CSR approval, 5.1.12 webhook configurations, 5.1.13 token creation.
     * Manual-only controls: 5.3.1 CNI support, 5.4.2 external secret storage, 5.5.1 image provenance, 5.7.1 namespaces as boundaries.
     */
    public static final List<String> CIS_ELSEWHERE = List.of("5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.7", "5.1.8", "5.1.9",
            "5.1.10", "5.1.11", "5.1.12", "5.1.13", "5.3.1", "5.4.2", "5.5.1", "5.7.1");
}
