package dev.vigil.posture.rbac;

import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Severity;
import dev.vigil.posture.source.PodTemplate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The RBAC review of a cluster: risky rights per subject ({@link RiskCheck}), bindings of
 * {@code system:anonymous}/{@code system:unauthenticated}, bindings to missing roles, and the
 * workloads whose service account holds high-severity rights with its token mounted.
 *
 * <p>Each role is evaluated once per binding scope (cluster-wide, namespaced) and the result shared by
 * every binding of it, so the cost is roles × checks + bindings × subjects. Subjects that Kubernetes
 * itself creates ({@code system:*} users and groups, service accounts in {@code kube-system}) are left
 * out unless {@code includeSystem}; the groups every user or service account belongs to
 * ({@code system:authenticated}, {@code system:unauthenticated}, {@code system:serviceaccounts*}) are
 * always reported, since their rights are everybody's.
 */
public final class RbacAudit {

    /** How many bindings a finding's message names before summarising the rest as a count. */
    public static final int MAX_VIAS_IN_MESSAGE = 3;

    private final RbacPolicy policy;
    private final boolean includeSystem;
    private final Map<PolicyRole, Map<RiskCheck, String>> clusterRisks = new IdentityHashMap<>();
    private final Map<PolicyRole, Map<RiskCheck, String>> namespaceRisks = new IdentityHashMap<>();

    public RbacAudit(RbacPolicy policy, boolean includeSystem) {
        this.policy = policy;
        this.includeSystem = includeSystem;
    }

    /**
     * Every finding, pushed to {@code out} as it is complete: risky rights (one subject at a time),
     * anonymous bindings, missing roles, and risky workloads among {@code workloads}; {@code automount}
     * maps {@code namespace/name} of ServiceAccounts to their {@code automountServiceAccountToken}
     * (absent means true). Nothing is kept once pushed, so a large cluster's findings stream through.
     */
    public void run(List<PodTemplate> workloads, Map<String, Boolean> automount, Consumer<Finding> out) {
        riskyRights(out);
        anonymousBindings().forEach(out);
        missingRoles().forEach(out);
        riskyWorkloads(workloads, automount).forEach(out);
    }

    /** The risky rights each binding grants, grouped per subject and check. */
    public void riskyRights(Consumer<Finding> out) {
        Map<Subject, Map<RiskCheck, Accumulator>> acc = new LinkedHashMap<>();
        List<Binding> bindings = policy.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            PolicyRole role = policy.roleOf(i);
            if (role == null) {
                continue;
            }
            Map<RiskCheck, String> risks = risksOf(role, b.clusterWide());
            if (risks.isEmpty()) {
                continue;
            }
            for (Subject raw : b.subjects()) {
                Subject s = raw.resolvedIn(b.namespace());
                if (!s.matchable() || (!includeSystem && isSystem(s))) {
                    continue;
                }
                Map<RiskCheck, Accumulator> perCheck = acc.computeIfAbsent(s, k -> new EnumMap<>(RiskCheck.class));
                risks.forEach((check, what) -> perCheck.computeIfAbsent(check, c -> new Accumulator(s, c))
                        .add(b, role, what, severityAt(check, b)));
            }
        }
        for (var it = acc.values().iterator(); it.hasNext(); ) {
            it.next().values().forEach(a -> out.accept(a.finding()));
            it.remove();
        }
    }

    /** Bindings that grant rights to anonymous requests. */
    public List<Finding> anonymousBindings() {
        List<Finding> out = new ArrayList<>();
        List<Binding> bindings = policy.bindings();
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            if (!namesAnonymous(b)) {
                continue;
            }
            PolicyRole role = policy.roleOf(i);
            boolean discoveryOnly = role == null || role.rules().stream().allMatch(r -> r.resources().isEmpty()
                    && r.verbs().stream().allMatch(v -> v.equals("get")));
            Severity sev = discoveryOnly ? Severity.LOW : Severity.CRITICAL;
            String grants = role == null ? "nothing today (its role is missing)"
                    : role.rules().isEmpty() ? "no rules"
                    : role.rules().stream().map(Rule::describe).collect(Collectors.joining("; "));
            out.add(new Finding("rbac.anonymous-binding", "Grants rights to unauthenticated requests", sev,
                    resourceOf(b),
                    b.describe() + " binds " + b.describeRole() + " to system:anonymous or system:unauthenticated, "
                            + "so anyone who can reach the API server gets: " + grants,
                    "Remove system:anonymous and system:unauthenticated from the binding's subjects; "
                            + "keep only the default discovery bindings (system:public-info-viewer).",
                    List.of("CIS 1.2.1"), List.of("T1078.001"), null));
        }
        return out;
    }

    private static boolean namesAnonymous(Binding b) {
        for (Subject s : b.subjects()) {
            if ((s.kind().equals(Subject.USER) && s.name().equals(Principal.ANONYMOUS))
                    || (s.kind().equals(Subject.GROUP) && s.name().equals(Principal.UNAUTHENTICATED))) {
                return true;
            }
        }
        return false;
    }

    /** Bindings whose role does not exist: they grant nothing until someone creates a role of that name. */
    public List<Finding> missingRoles() {
        List<Finding> out = new ArrayList<>();
        for (Binding b : policy.bindingsToMissingRoles()) {
            String why = switch (b.roleKind()) {
                case PolicyRole.ROLE -> b.clusterWide()
                        ? "a ClusterRoleBinding cannot reference a Role"
                        : "Role " + b.namespace() + "/" + b.roleName() + " does not exist";
                case PolicyRole.CLUSTER_ROLE -> "ClusterRole " + b.roleName() + " does not exist";
                default -> "roleRef kind '" + b.roleKind() + "' is neither Role nor ClusterRole";
            };
            out.add(new Finding("rbac.missing-role", "Binding to a missing role", Severity.LOW, resourceOf(b),
                    b.describe() + " references " + b.describeRole() + ": " + why
                            + "; whoever creates that role later grants it silently to "
                            + b.subjects().stream().map(Subject::describe).toList(),
                    "Delete the binding, or create the role it is meant to reference.",
                    List.of(), List.of(), null));
        }
        return out;
    }

    /**
     * Workloads whose service account holds rights of HIGH or CRITICAL severity while its token is
     * mounted: whoever compromises the pod gets those rights (token theft).
     */
    public List<Finding> riskyWorkloads(List<PodTemplate> workloads, Map<String, Boolean> automount) {
        Map<String, Map<RiskCheck, Severity>> perServiceAccount = new HashMap<>();
        List<Finding> out = new ArrayList<>();
        for (PodTemplate w : workloads) {
            String sa = w.serviceAccount();
            Boolean podMount = w.automountToken();
            boolean mounted = podMount != null ? podMount : automount.getOrDefault(w.namespace() + "/" + sa, true);
            if (!mounted) {
                continue;
            }
            Map<RiskCheck, Severity> risks = perServiceAccount.computeIfAbsent(w.namespace() + "/" + sa,
                    k -> risksOf(Principal.serviceAccount(w.namespace(), sa, List.of())));
            Map<RiskCheck, Severity> high = new EnumMap<>(RiskCheck.class);
            risks.forEach((c, s) -> {
                if (s.compareTo(Severity.HIGH) >= 0) {
                    high.put(c, s);
                }
            });
            if (high.isEmpty()) {
                continue;
            }
            Severity worst = high.values().stream().max(Severity::compareTo).orElseThrow();
            out.add(new Finding("rbac.risky-workload", "Workload runs under a service account with risky rights", worst,
                    w.resource(),
                    w.describe() + " mounts the token of ServiceAccount "
                            + w.namespace() + "/" + sa + ", which holds: "
                            + high.keySet().stream().map(RiskCheck::id).collect(Collectors.joining(", "))
                            + "; a compromise of the pod yields these rights",
                    "Give the workload its own service account with only the rights it uses, or set "
                            + "automountServiceAccountToken: false if it does not call the API.",
                    List.of("CIS 5.1.5", "CIS 5.1.6"), List.of("T1528"), null));
        }
        return out;
    }

    /** The risky rights a principal holds through every binding that applies to it, at their severities. */
    public Map<RiskCheck, Severity> risksOf(Principal p) {
        Map<RiskCheck, Severity> out = new EnumMap<>(RiskCheck.class);
        for (RbacPolicy.Grant g : policy.grantsOf(p, null)) {
            if (g.via().role() == null) {
                continue;
            }
            risksOf(g.via().role(), g.via().binding().clusterWide()).keySet()
                    .forEach(c -> out.merge(c, severityAt(c, g.via().binding()), (a, b) -> a.compareTo(b) >= 0 ? a : b));
        }
        return out;
    }

    /** The risky rights a role grants when bound cluster-wide or within a namespace; memoised per role. */
    Map<RiskCheck, String> risksOf(PolicyRole role, boolean clusterWide) {
        return (clusterWide ? clusterRisks : namespaceRisks).computeIfAbsent(role, r -> {
            Map<RiskCheck, String> m = new EnumMap<>(RiskCheck.class);
            for (RiskCheck c : RiskCheck.values()) {
                String what = c.grantedBy(r.rules(), clusterWide);
                if (what != null) {
                    m.put(c, what);
                }
            }
            if (m.containsKey(RiskCheck.CLUSTER_ADMIN)) {
                m.keySet().retainAll(List.of(RiskCheck.CLUSTER_ADMIN));
            }
            return m;
        });
    }

    private static final Severity[] SEVERITIES = Severity.values();

    static Severity severityAt(RiskCheck check, Binding b) {
        if (b.clusterWide()) {
            return check.severity();
        }
        return SEVERITIES[Math.max(Severity.LOW.ordinal(), check.severity().ordinal() - 1)];
    }

    /** Users, groups and service accounts that Kubernetes components use, rather than people or apps. */
    static boolean isSystem(Subject s) {
        return switch (s.kind()) {
            case Subject.SERVICE_ACCOUNT -> s.namespace().equals("kube-system");
            case Subject.GROUP -> s.name().startsWith("system:") && !s.name().equals(Principal.AUTHENTICATED)
                    && !s.name().equals(Principal.UNAUTHENTICATED) && !s.name().startsWith(Principal.SERVICE_ACCOUNTS);
            default -> s.name().startsWith("system:") && !s.name().equals(Principal.ANONYMOUS);
        };
    }

    static Resource resourceOf(Subject s) {
        return new Resource(s.kind(), s.namespace().isEmpty() ? null : s.namespace(), s.name(), null);
    }

    static Resource resourceOf(Binding b) {
        return new Resource(b.kind(), b.namespace().isEmpty() ? null : b.namespace(), b.name(), null);
    }

    /** One subject's grants of one risky right; keeps only the first bindings, until its finding is made. */
    private static final class Accumulator {
        private final Subject subject;
        private final RiskCheck check;
        private final Binding[] bindings = new Binding[MAX_VIAS_IN_MESSAGE];
        private final PolicyRole[] roles = new PolicyRole[MAX_VIAS_IN_MESSAGE];
        private final String[] whats = new String[MAX_VIAS_IN_MESSAGE];
        private Severity severity = Severity.INFO;
        private int count;

        Accumulator(Subject subject, RiskCheck check) {
            this.subject = subject;
            this.check = check;
        }

        void add(Binding b, PolicyRole role, String what, Severity s) {
            if (s.compareTo(severity) > 0) {
                severity = s;
            }
            if (count < MAX_VIAS_IN_MESSAGE) {
                bindings[count] = b;
                roles[count] = role;
                whats[count] = what;
            }
            count++;
        }

        Finding finding() {
            StringBuilder m = new StringBuilder(160).append(subject.describe()).append(switch (subject.name()) {
                case Principal.AUTHENTICATED -> " (every authenticated user)";
                case Principal.UNAUTHENTICATED -> " (every anonymous request)";
                case Principal.SERVICE_ACCOUNTS -> " (every service account)";
                default -> "";
            }).append(": ");
            int shown = Math.min(count, MAX_VIAS_IN_MESSAGE);
            for (int i = 0; i < shown; i++) {
                Binding b = bindings[i];
                m.append(i == 0 ? "" : "; ").append(whats[i])
                        .append(b.clusterWide() ? " cluster-wide" : " in namespace " + b.namespace())
                        .append(" via ").append(b.describe()).append(" → ").append(roles[i].describe());
            }
            if (count > shown) {
                m.append(" (+").append(count - shown).append(" more bindings)");
            }
            return new Finding(check.id(), check.title(), severity, resourceOf(subject), m.toString(),
                    check.remediation(), check.references(), check.mitre(), null);
        }
    }
}
