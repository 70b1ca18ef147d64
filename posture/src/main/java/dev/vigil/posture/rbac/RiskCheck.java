package dev.vigil.posture.rbac;

import dev.vigil.posture.report.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * The risky rights Vigil reports, each defined by the requests that exercise it (probes), with its
 * severity when granted cluster-wide (one level lower within a namespace), the MITRE ATT&CK
 * technique an attacker uses it for, and the CIS Kubernetes Benchmark (v1.8) recommendation that
 * covers it.
 *
 * <p>A probe on a cluster-scoped resource (nodes, persistentvolumes, CSRs, webhooks, users,
 * groups) can only be granted by a ClusterRoleBinding, so RoleBindings are not credited with it.
 * A probe ignores resourceNames (a right over a few named objects is still that right over them);
 * the finding names the restriction.
 */
public enum RiskCheck {
    CLUSTER_ADMIN("rbac.cluster-admin", "Cluster-admin equivalent (* verbs on * resources)", Severity.CRITICAL,
            List.of("T1078"), List.of("CIS 5.1.1", "CIS 5.1.3"),
            "Bind a role that lists only the verbs and resources the subject needs instead of a wildcard role.",
            false),
    SECRETS_READ("rbac.secrets-read", "Can read Secrets", Severity.HIGH,
            List.of("T1552.007"), List.of("CIS 5.1.2"),
            "Remove get, list and watch on secrets, or restrict them with resourceNames to the secrets needed.",
            false, probe("get,list,watch", "", "secrets", false)),
    POD_EXEC("rbac.pod-exec", "Can exec into pods", Severity.HIGH,
            List.of("T1609"), List.of(),
            "Remove create/get on pods/exec; grant it only to break-glass identities.",
            false, probe("create,get", "", "pods/exec", false)),
    POD_ATTACH("rbac.pod-attach", "Can attach to pods", Severity.HIGH,
            List.of("T1609"), List.of(),
            "Remove create/get on pods/attach.",
            false, probe("create,get", "", "pods/attach", false)),
    POD_EPHEMERAL("rbac.pod-ephemeral-containers", "Can add ephemeral containers to pods", Severity.HIGH,
            List.of("T1609", "T1610"), List.of(),
            "Remove update/patch on pods/ephemeralcontainers.",
            false, probe("update,patch", "", "pods/ephemeralcontainers", false)),
    CREATE_PODS("rbac.create-pods", "Can create pods (and steal any mountable service account token)", Severity.HIGH,
            List.of("T1610", "T1528"), List.of("CIS 5.1.4"),
            "Remove create on pods; let controllers create pods under reviewed service accounts.",
            false, probe("create", "", "pods", false)),
    CREATE_WORKLOADS("rbac.create-workloads", "Can create or change workload controllers (pods by proxy)", Severity.HIGH,
            List.of("T1610", "T1528"), List.of("CIS 5.1.4"),
            "Restrict create/update/patch of deployments, daemonsets, statefulsets, replicasets, jobs, cronjobs and replicationcontrollers to deployment pipelines.",
            false,
            probe("create,update,patch", "apps", "deployments", false),
            probe("create,update,patch", "apps", "daemonsets", false),
            probe("create,update,patch", "apps", "statefulsets", false),
            probe("create,update,patch", "apps", "replicasets", false),
            probe("create,update,patch", "batch", "jobs", false),
            probe("create,update,patch", "batch", "cronjobs", false),
            probe("create,update,patch", "", "replicationcontrollers", false)),
    BIND("rbac.bind", "Can bind roles it does not hold (bind verb)", Severity.HIGH,
            List.of("T1098"), List.of("CIS 5.1.8"),
            "Remove the bind verb, or restrict it with resourceNames to harmless roles.",
            false,
            probe("bind", "rbac.authorization.k8s.io", "roles", false),
            probe("bind", "rbac.authorization.k8s.io", "clusterroles", false)),
    ESCALATE("rbac.escalate", "Can grant roles more rights than it holds (escalate verb)", Severity.HIGH,
            List.of("T1098"), List.of("CIS 5.1.8"),
            "Remove the escalate verb.",
            false,
            probe("escalate", "rbac.authorization.k8s.io", "roles", false),
            probe("escalate", "rbac.authorization.k8s.io", "clusterroles", false)),
    IMPERSONATE("rbac.impersonate", "Can impersonate users, groups or service accounts", Severity.CRITICAL,
            List.of("T1078"), List.of("CIS 5.1.8"),
            "Remove the impersonate verb, or restrict it with resourceNames to specific low-privilege identities.",
            false,
            probe("impersonate", "", "users", true),
            probe("impersonate", "", "groups", true),
            probe("impersonate", "", "serviceaccounts", false),
            probe("impersonate", "authentication.k8s.io", "uids", true),
            probe("impersonate", "authentication.k8s.io", "userextras", true)),
    SERVICEACCOUNT_TOKEN("rbac.serviceaccount-token", "Can mint service account tokens", Severity.HIGH,
            List.of("T1528"), List.of("CIS 5.1.13"),
            "Remove create on serviceaccounts/token.",
            false, probe("create", "", "serviceaccounts/token", false)),
    CSR_APPROVAL("rbac.csr-approval", "Can approve certificate signing requests", Severity.HIGH,
            List.of("T1649"), List.of("CIS 5.1.11"),
            "Remove update/patch on certificatesigningrequests/approval together with approve on signers.",
            true,
            probe("update,patch", "certificates.k8s.io", "certificatesigningrequests/approval", true),
            probe("approve", "certificates.k8s.io", "signers", true)),
    NODES_PROXY("rbac.nodes-proxy", "Can reach the kubelet API through nodes/proxy", Severity.HIGH,
            List.of("T1609"), List.of("CIS 5.1.10"),
            "Remove get/create on nodes/proxy.",
            false, probe("get,create", "", "nodes/proxy", true)),
    WEBHOOK_CONFIG("rbac.webhook-config", "Can change admission webhook configurations", Severity.HIGH,
            List.of("T1562.001"), List.of("CIS 5.1.12"),
            "Restrict create/update/patch/delete of validating and mutating webhook configurations to cluster administrators.",
            false,
            probe("create,update,patch,delete", "admissionregistration.k8s.io", "validatingwebhookconfigurations", true),
            probe("create,update,patch,delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", true)),
    PERSISTENTVOLUME_CREATE("rbac.persistentvolume-create", "Can create persistent volumes (hostPath on any node)", Severity.HIGH,
            List.of("T1611"), List.of("CIS 5.1.9"),
            "Remove create on persistentvolumes; provision volumes through StorageClasses.",
            false, probe("create", "", "persistentvolumes", true)),
    STATUS_PATCH("rbac.status-patch", "Can rewrite node or pod status", Severity.MEDIUM,
            List.of("T1557"), List.of(),
            "Remove update/patch on nodes/status and pods/status; only kubelets need them.",
            false,
            probe("update,patch", "", "nodes/status", true),
            probe("update,patch", "", "pods/status", false)),
    SERVICE_EXTERNAL_IPS("rbac.service-external-ips", "Can set service external IPs (CVE-2020-8554)", Severity.MEDIUM,
            List.of("T1557"), List.of(),
            "Remove create/update/patch on services or block spec.externalIPs with an admission policy (CVE-2020-8554).",
            false,
            probe("create,update,patch", "", "services", false),
            probe("update,patch", "", "services/status", false)),
    WILDCARD("rbac.wildcard", "Uses wildcards in verbs or resources", Severity.LOW,
            List.of(), List.of("CIS 5.1.3"),
            "Replace * with the explicit verbs and resources needed.",
            false);

    /** One request pattern that exercises a right: any of {@code verbs} on {@code group}/{@code resource}. */
    record Probe(List<String> verbs, String group, String resource, String subresource, boolean clusterScoped) {
        String combined() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    private final String id;
    private final String title;
    private final Severity severity;
    private final List<String> mitre;
    private final List<String> references;
    private final String remediation;
    private final boolean requiresAllProbes;
    private final List<Probe> probes;

    RiskCheck(String id, String title, Severity severity, List<String> mitre, List<String> references,
              String remediation, boolean requiresAllProbes, Probe... probes) {
        this.id = id;
        this.title = title;
        this.severity = severity;
        this.mitre = mitre;
        this.references = references;
        this.remediation = remediation;
        this.requiresAllProbes = requiresAllProbes;
        this.probes = List.of(probes);
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** Severity when granted cluster-wide. */
    public Severity severity() {
        return severity;
    }

    public List<String> mitre() {
        return mitre;
    }

    public List<String> references() {
        return references;
    }

    public String remediation() {
        return remediation;
    }

    /**
     * What of this right {@code rules} grant through a binding of the given scope, e.g.
     * {@code get,list secrets}, or null when they grant none of it.
     */
    public String grantedBy(List<Rule> rules, boolean clusterWide) {
        switch (this) {
            case CLUSTER_ADMIN -> {
                for (Rule r : rules) {
                    if (r.grantsEverything()) {
                        return "* on *";
                    }
                }
                return null;
            }
            case WILDCARD -> {
                for (Rule r : rules) {
                    if (!r.grantsEverything() && (r.verbs().contains(Rule.ALL) || r.resources().contains(Rule.ALL))) {
                        return r.describe();
                    }
                }
                return null;
            }
            default -> {
                List<String> parts = new ArrayList<>();
                for (Probe p : probes) {
                    if (p.clusterScoped() && !clusterWide) {
                        if (requiresAllProbes) {
                            return null;
                        }
                        continue;
                    }
                    String got = probe(p, rules);
                    if (got == null && requiresAllProbes) {
                        return null;
                    }
                    if (got != null) {
                        parts.add(got);
                    }
                }
                return parts.isEmpty() ? null : String.join("; ", parts);
            }
        }
    }

    private static String probe(Probe p, List<Rule> rules) {
        List<String> verbs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean anyName = false;
        for (String v : p.verbs()) {
            for (Rule r : rules) {
                if (r.verbMatches(v) && r.apiGroupMatches(p.group()) && r.resourceMatches(p.combined(), p.subresource())) {
                    if (!verbs.contains(v)) {
                        verbs.add(v);
                    }
                    if (r.resourceNames().isEmpty()) {
                        anyName = true;
                    } else {
                        r.resourceNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
                    }
                }
            }
        }
        if (verbs.isEmpty()) {
            return null;
        }
        String what = String.join(",", verbs) + " " + p.combined();
        return anyName || names.isEmpty() ? what : what + " named " + names;
    }

    private static Probe probe(String verbs, String group, String combined, boolean clusterScoped) {
        int slash = combined.indexOf('/');
        return new Probe(List.of(verbs.split(",")), group,
                slash < 0 ? combined : combined.substring(0, slash),
                slash < 0 ? "" : combined.substring(slash + 1), clusterScoped);
    }
}
