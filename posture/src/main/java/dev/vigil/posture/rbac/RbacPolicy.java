package dev.vigil.posture.rbac;

import dev.vigil.posture.source.KubeObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * An immutable snapshot of a cluster's RBAC objects, indexed for the questions Vigil asks of it.
 *
 * <p>Design: objects are read from their JSON once into compact records ({@link PolicyRole},
 * {@link Binding}) while they stream in, so the trees can be dropped. {@link Builder#build()} then
 * <ol>
 *   <li>resolves aggregated ClusterRoles the way the {@code clusterrole-aggregation-controller}
 *       converges: each role with an {@code aggregationRule} gets the rules of every other
 *       ClusterRole its selectors match, visited in name order and repeated until nothing changes
 *       (roles aggregating aggregated roles, such as {@code admin} over {@code edit}, included);
 *       a role with an invalid selector keeps its stored rules, as the controller fails on it;</li>
 *   <li>links each binding to its role (Role in the binding's namespace, or ClusterRole by name;
 *       a binding to a missing role grants nothing);</li>
 *   <li>indexes bindings by subject key (user, group, service account) for the authorizer, and
 *       roles by the resource names their rules mention, so who-can touches only candidate roles.</li>
 * </ol>
 *
 * <p>Limits: {@link #MAX_AGGREGATION_ROUNDS} passes of aggregation (default 64); a cluster whose
 * aggregation has not converged by then is reported in {@link #anomalies()}.
 */
public final class RbacPolicy {

    /** Passes over the aggregated ClusterRoles before giving up on convergence. */
    public static final int MAX_AGGREGATION_ROUNDS = 64;

    private final PolicyRole[] roles;
    private final Binding[] bindings;
    /** Role index of each binding, or -1 when the role is missing or the kind unsupported. */
    private final int[] roleOf;
    private final Map<String, Integer> roleIds;
    private final Map<String, int[]> bindingsBySubject;
    private final int[][] bindingsByRole;
    private final Map<String, int[]> rolesByResource;
    private final int[] rolesWithNonResourceRules;
    private final List<String> anomalies;

    private RbacPolicy(PolicyRole[] roles, Binding[] bindings, List<String> anomalies) {
        this.roles = roles;
        this.bindings = bindings;
        this.anomalies = List.copyOf(anomalies);
        this.roleIds = new HashMap<>(roles.length * 2);
        for (int i = 0; i < roles.length; i++) {
            roleIds.put(roleKey(roles[i].kind(), roles[i].namespace(), roles[i].name()), i);
        }
        this.roleOf = new int[bindings.length];
        Map<String, IntList> bySubject = new HashMap<>();
        IntList[] byRole = new IntList[roles.length];
        for (int b = 0; b < bindings.length; b++) {
            Binding bd = bindings[b];
            roleOf[b] = resolve(bd);
            if (roleOf[b] >= 0) {
                (byRole[roleOf[b]] == null ? byRole[roleOf[b]] = new IntList() : byRole[roleOf[b]]).add(b);
            }
            List<Subject> subjects = bd.subjects();
            for (int i = 0; i < subjects.size(); i++) {
                String k = subjectKey(subjects.get(i).resolvedIn(bd.namespace()));
                if (k != null && !namedBefore(bd, i, k)) {
                    bySubject.computeIfAbsent(k, x -> new IntList()).add(b);
                }
            }
        }
        this.bindingsBySubject = freeze(bySubject);
        this.bindingsByRole = new int[roles.length][];
        for (int r = 0; r < roles.length; r++) {
            bindingsByRole[r] = byRole[r] == null ? new int[0] : byRole[r].toArray();
        }
        Map<String, IntList> byResource = new HashMap<>();
        IntList nonResource = new IntList();
        for (int r = 0; r < roles.length; r++) {
            Set<String> mentioned = new LinkedHashSet<>();
            boolean urls = false;
            for (Rule rule : roles[r].rules()) {
                mentioned.addAll(rule.resources());
                urls |= !rule.nonResourceURLs().isEmpty();
            }
            for (String res : mentioned) {
                byResource.computeIfAbsent(res, x -> new IntList()).add(r);
            }
            if (urls) {
                nonResource.add(r);
            }
        }
        this.rolesByResource = freeze(byResource);
        this.rolesWithNonResourceRules = nonResource.toArray();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every role, ClusterRoles first, each group in name order. */
    public List<PolicyRole> roles() {
        return List.of(roles);
    }

    /** Every binding, ClusterRoleBindings first, each group in namespace/name order. */
    public List<Binding> bindings() {
        return List.of(bindings);
    }

    /** The role a binding grants, or null when it references a missing role or an unsupported kind. */
    public PolicyRole roleOf(Binding binding) {
        int r = resolve(binding);
        return r < 0 ? null : roles[r];
    }

    /** The role that the binding at {@code index} of {@link #bindings()} grants, or null (as {@link #roleOf(Binding)}). */
    public PolicyRole roleOf(int index) {
        return roleOf[index] < 0 ? null : roles[roleOf[index]];
    }

    public PolicyRole clusterRole(String name) {
        Integer i = roleIds.get(roleKey(PolicyRole.CLUSTER_ROLE, "", name));
        return i == null ? null : roles[i];
    }

    public PolicyRole role(String namespace, String name) {
        Integer i = roleIds.get(roleKey(PolicyRole.ROLE, namespace, name));
        return i == null ? null : roles[i];
    }

    /** Problems found while building: unconverged aggregation, invalid selectors. */
    public List<String> anomalies() {
        return anomalies;
    }

    /**
     * The RBAC authorizer's decision: allowed when a rule of a role bound to {@code p} by a
     * ClusterRoleBinding, or by a RoleBinding in the request's namespace, allows the request.
     */
    public Decision authorize(Principal p, Request request) {
        for (int b : candidateBindings(p)) {
            Binding bd = bindings[b];
            if (!inScope(bd, request.namespace()) || roleOf[b] < 0) {
                continue;
            }
            Subject matched = firstApplying(bd, p);
            if (matched == null) {
                continue;
            }
            for (Rule rule : roles[roleOf[b]].rules()) {
                if (rule.allows(request)) {
                    return new Decision(true, new Via(bd, roles[roleOf[b]], matched.resolvedIn(bd.namespace())), rule);
                }
            }
        }
        return Decision.DENIED;
    }

    /**
     * Every grant that applies to {@code p}: each binding that names it (directly or through one of its
     * groups) with the role's rules. {@code namespace} null means all namespaces, "" only cluster-wide.
     */
    public List<Grant> grantsOf(Principal p, String namespace) {
        List<Grant> out = new ArrayList<>();
        for (int b : candidateBindings(p)) {
            Binding bd = bindings[b];
            if (namespace != null && !inScope(bd, namespace)) {
                continue;
            }
            Subject matched = firstApplying(bd, p);
            if (matched != null) {
                PolicyRole role = roleOf[b] < 0 ? null : roles[roleOf[b]];
                out.add(new Grant(new Via(bd, role, matched.resolvedIn(bd.namespace()))));
            }
        }
        return out;
    }

    /**
     * The subjects named in bindings that allow {@code request}, each with the bindings and roles that
     * grant it: kubectl-who-can's question, answered by the authorizer's rules. A subject is listed iff a
     * principal matching only that subject would be allowed.
     */
    public List<SubjectAccess> whoCan(Request request) {
        Map<Subject, List<Via>> found = new TreeMap<>(Comparator.comparing(Subject::kind)
                .thenComparing(Subject::namespace).thenComparing(Subject::name));
        for (int r : candidateRoles(request)) {
            if (!anyRuleAllows(roles[r], request)) {
                continue;
            }
            for (int b : bindingsByRole[r]) {
                Binding bd = bindings[b];
                if (!inScope(bd, request.namespace())) {
                    continue;
                }
                for (Subject s : bd.subjects()) {
                    Subject resolved = s.resolvedIn(bd.namespace());
                    if (resolved.matchable()) {
                        List<Via> vias = found.computeIfAbsent(resolved, x -> new ArrayList<>());
                        Via via = new Via(bd, roles[r], resolved);
                        if (!vias.contains(via)) {
                            vias.add(via);
                        }
                    }
                }
            }
        }
        List<SubjectAccess> out = new ArrayList<>(found.size());
        found.forEach((s, v) -> out.add(new SubjectAccess(s, v)));
        return out;
    }

    /** Bindings whose role reference resolves to nothing (roleRef kind unsupported, or role missing). */
    public List<Binding> bindingsToMissingRoles() {
        List<Binding> out = new ArrayList<>();
        for (int b = 0; b < bindings.length; b++) {
            if (roleOf[b] < 0) {
                out.add(bindings[b]);
            }
        }
        return out;
    }

    /** Bindings of {@code role}. */
    public List<Binding> bindingsOf(PolicyRole role) {
        Integer r = roleIds.get(roleKey(role.kind(), role.namespace(), role.name()));
        if (r == null) {
            return List.of();
        }
        return Arrays.stream(bindingsByRole[r]).mapToObj(b -> bindings[b]).toList();
    }

    /** Whether a subject before {@code i} in the binding has the index key {@code key} (a subject listed twice). */
    private static boolean namedBefore(Binding bd, int i, String key) {
        for (int j = 0; j < i; j++) {
            if (key.equals(subjectKey(bd.subjects().get(j).resolvedIn(bd.namespace())))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyRuleAllows(PolicyRole role, Request request) {
        for (Rule rule : role.rules()) {
            if (rule.allows(request)) {
                return true;
            }
        }
        return false;
    }

    private int[] candidateRoles(Request request) {
        if (!request.isResourceRequest()) {
            return rolesWithNonResourceRules;
        }
        IntList ids = new IntList();
        ids.addAll(rolesByResource.get(Rule.ALL));
        ids.addAll(rolesByResource.get(request.combinedResource()));
        if (!request.subresource().isEmpty()) {
            ids.addAll(rolesByResource.get("*/" + request.subresource()));
        }
        return ids.sortedDistinct();
    }

    private int[] candidateBindings(Principal p) {
        IntList ids = new IntList();
        ids.addAll(bindingsBySubject.get("U\0" + p.name()));
        for (String g : p.groups()) {
            ids.addAll(bindingsBySubject.get("G\0" + g));
        }
        p.serviceAccount().ifPresent(sa -> ids.addAll(bindingsBySubject.get("S\0" + sa[0] + "\0" + sa[1])));
        return ids.sortedDistinct();
    }

    private static Subject firstApplying(Binding bd, Principal p) {
        for (Subject s : bd.subjects()) {
            if (s.appliesTo(p, bd.namespace())) {
                return s;
            }
        }
        return null;
    }

    private static boolean inScope(Binding bd, String requestNamespace) {
        return bd.clusterWide() || (!requestNamespace.isEmpty() && bd.namespace().equals(requestNamespace));
    }

    private int resolve(Binding bd) {
        String key = switch (bd.roleKind()) {
            case PolicyRole.ROLE -> bd.clusterWide() ? null : roleKey(PolicyRole.ROLE, bd.namespace(), bd.roleName());
            case PolicyRole.CLUSTER_ROLE -> roleKey(PolicyRole.CLUSTER_ROLE, "", bd.roleName());
            default -> null;
        };
        Integer id = key == null ? null : roleIds.get(key);
        return id == null ? -1 : id;
    }

    /** Index key of a subject as the authorizer matches it; null for subjects that match no one. */
    static String subjectKey(Subject s) {
        return switch (s.kind()) {
            case Subject.USER -> "U\0" + s.name();
            case Subject.GROUP -> "G\0" + s.name();
            case Subject.SERVICE_ACCOUNT -> s.namespace().isEmpty() ? null : "S\0" + s.namespace() + "\0" + s.name();
            default -> null;
        };
    }

    private static String roleKey(String kind, String namespace, String name) {
        return kind + "\0" + namespace + "\0" + name;
    }

    private static Map<String, int[]> freeze(Map<String, IntList> m) {
        Map<String, int[]> out = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    /** The authorizer's answer and, when allowed, the binding, role and rule that allowed it. */
    public record Decision(boolean allowed, Via via, Rule rule) {
        static final Decision DENIED = new Decision(false, null, null);

        /** {@code allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "alice"}, as the authorizer's reason. */
        public String reason() {
            if (!allowed) {
                return "no RBAC rule allows it";
            }
            return "allowed by " + via.binding().describe() + " of " + via.binding().describeRole()
                    + " to " + via.subject().describe();
        }
    }

    /** How a subject gets a right: through {@code binding} to {@code role} (null if missing), naming {@code subject}. */
    public record Via(Binding binding, PolicyRole role, Subject subject) {
        public Via {
            Objects.requireNonNull(binding);
            Objects.requireNonNull(subject);
        }
    }

    /** One binding that applies to a principal. */
    public record Grant(Via via) {
        /** Where the rules apply: the binding's namespace, or "" for cluster-wide. */
        public String scope() {
            return via.binding().namespace();
        }

        public List<Rule> rules() {
            return via.role() == null ? List.of() : via.role().rules();
        }
    }

    /** A who-can answer: a subject and the bindings through which it holds the right. */
    public record SubjectAccess(Subject subject, List<Via> via) {
        public SubjectAccess {
            via = List.copyOf(via);
        }
    }

    /**
     * Collects RBAC objects as they stream in. Not thread-safe. Objects of other kinds are ignored;
     * a later object with the same kind, namespace and name replaces the earlier one, as an apply would.
     */
    public static final class Builder {
        /** ClusterRoles first, then Roles; each by namespace and name. */
        private static final Comparator<PolicyRole> ROLE_ORDER = (a, b) -> {
            int c = Boolean.compare(a.kind().equals(PolicyRole.ROLE), b.kind().equals(PolicyRole.ROLE));
            if (c == 0) {
                c = a.namespace().compareTo(b.namespace());
            }
            return c != 0 ? c : a.name().compareTo(b.name());
        };
        /** ClusterRoleBindings first, then RoleBindings; each by namespace and name. */
        private static final Comparator<Binding> BINDING_ORDER = (a, b) -> {
            int c = Boolean.compare(!a.clusterWide(), !b.clusterWide());
            if (c == 0) {
                c = a.namespace().compareTo(b.namespace());
            }
            return c != 0 ? c : a.name().compareTo(b.name());
        };

        private final Map<String, Pending> roles = new HashMap<>();
        private final Map<String, Binding> bindings = new HashMap<>();

        private record Pending(PolicyRole role, Map<String, String> labels, List<JsonNode> selectors) {
        }

        /**
         * Adds a Role, ClusterRole, RoleBinding or ClusterRoleBinding (of the {@code rbac.authorization.k8s.io}
         * group, or with no apiVersion); returns false (and ignores it) for other objects.
         */
        public boolean add(KubeObject o) {
            if (o.apiVersion() != null && !o.group().equals(PolicyRole.API_GROUP)) {
                return false;
            }
            JsonNode json = o.json();
            String ns = o.namespace() == null ? "" : o.namespace();
            switch (o.kind()) {
                case PolicyRole.CLUSTER_ROLE -> {
                    JsonNode aggregation = json.get("aggregationRule");
                    List<JsonNode> selectors = null;
                    if (aggregation != null && aggregation.isObject()) {
                        selectors = new ArrayList<>();
                        for (JsonNode sel : aggregation.path("clusterRoleSelectors")) {
                            selectors.add(sel);
                        }
                    }
                    putRole(new PolicyRole(PolicyRole.CLUSTER_ROLE, "", o.name(), rules(json), false), o.labels(), selectors);
                }
                case PolicyRole.ROLE -> putRole(new PolicyRole(PolicyRole.ROLE, ns, o.name(), rules(json), false), o.labels(), null);
                case Binding.CLUSTER_ROLE_BINDING -> putBinding(binding(Binding.CLUSTER_ROLE_BINDING, "", o));
                case Binding.ROLE_BINDING -> putBinding(binding(Binding.ROLE_BINDING, ns, o));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private static Binding binding(String kind, String ns, KubeObject o) {
            JsonNode ref = o.json().path("roleRef");
            List<Subject> subjects = new ArrayList<>();
            for (JsonNode s : o.json().path("subjects")) {
                subjects.add(new Subject(KubeObject.text(s.get("kind")), KubeObject.text(s.get("name")),
                        KubeObject.text(s.get("namespace"))));
            }
            return new Binding(kind, ns, o.name(), KubeObject.text(ref.get("kind")), KubeObject.text(ref.get("name")),
                    KubeObject.text(ref.get("apiGroup")), subjects);
        }

        private static List<Rule> rules(JsonNode json) {
            JsonNode rules = json.get("rules");
            if (rules == null || !rules.isArray() || rules.isEmpty()) {
                return List.of();
            }
            List<Rule> out = new ArrayList<>(rules.size());
            for (JsonNode r : rules) {
                out.add(Rule.of(r));
            }
            return out;
        }

        /** Adds a role directly (tests, synthetic clusters). */
        public Builder role(PolicyRole role, Map<String, String> labels) {
            putRole(role, labels, null);
            return this;
        }

        /** Adds a binding directly (tests, synthetic clusters). */
        public Builder binding(Binding binding) {
            putBinding(binding);
            return this;
        }

        public RbacPolicy build() {
            List<String> anomalies = new ArrayList<>();
            aggregate(anomalies);
            PolicyRole[] rs = new PolicyRole[roles.size()];
            int r = 0;
            for (Pending p : roles.values()) {
                rs[r++] = p.role();
            }
            Arrays.sort(rs, ROLE_ORDER);
            Binding[] bs = bindings.values().toArray(Binding[]::new);
            Arrays.sort(bs, BINDING_ORDER);
            return new RbacPolicy(rs, bs, anomalies);
        }

        private void aggregate(List<String> anomalies) {
            List<String> aggregatedNames = roles.entrySet().stream()
                    .filter(e -> e.getValue().selectors() != null)
                    .map(Map.Entry::getKey).sorted().toList();
            if (aggregatedNames.isEmpty()) {
                return;
            }
            List<Pending> clusterRoles = roles.values().stream()
                    .filter(p -> p.role().kind().equals(PolicyRole.CLUSTER_ROLE))
                    .sorted(Comparator.comparing(p -> p.role().name())).toList();
            Map<String, List<Pending>> selected = new HashMap<>();
            for (String key : aggregatedNames) {
                Pending agg = roles.get(key);
                if (!agg.selectors().stream().allMatch(Selectors::valid)) {
                    anomalies.add("ClusterRole " + agg.role().name()
                            + ": invalid aggregationRule selector; the aggregation controller keeps its stored rules");
                    continue;
                }
                List<Pending> members = new ArrayList<>();
                for (JsonNode s : agg.selectors()) {
                    for (Pending p : clusterRoles) {
                        if (!p.role().name().equals(agg.role().name()) && Selectors.matches(s, p.labels())) {
                            members.add(p);
                        }
                    }
                }
                selected.put(key, members);
            }
            for (int round = 0; round < MAX_AGGREGATION_ROUNDS; round++) {
                boolean changed = false;
                for (String key : selected.keySet().stream().sorted().toList()) {
                    Pending agg = roles.get(key);
                    LinkedHashSet<Rule> rules = new LinkedHashSet<>();
                    for (Pending member : selected.get(key)) {
                        rules.addAll(roles.get(roleKey(PolicyRole.CLUSTER_ROLE, "", member.role().name())).role().rules());
                    }
                    List<Rule> next = List.copyOf(rules);
                    if (!agg.role().aggregated() || !next.equals(agg.role().rules())) {
                        changed |= !next.equals(agg.role().rules());
                        roles.put(key, new Pending(new PolicyRole(PolicyRole.CLUSTER_ROLE, "", agg.role().name(), next, true),
                                agg.labels(), agg.selectors()));
                    }
                }
                if (!changed) {
                    return;
                }
            }
            anomalies.add("ClusterRole aggregation did not converge after " + MAX_AGGREGATION_ROUNDS
                    + " rounds (aggregated roles=" + selected.size() + "); rules may be incomplete");
        }

        private void putRole(PolicyRole role, Map<String, String> labels, List<JsonNode> selectors) {
            roles.put(roleKey(role.kind(), role.namespace(), role.name()),
                    new Pending(role, labels == null ? Map.of() : Map.copyOf(labels), selectors));
        }

        private void putBinding(Binding b) {
            bindings.put(b.kind() + "\0" + b.namespace() + "\0" + b.name(), b);
        }
    }
}
