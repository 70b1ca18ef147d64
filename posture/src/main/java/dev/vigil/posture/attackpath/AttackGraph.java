package dev.vigil.posture.attackpath;

import dev.vigil.posture.podspec.PodTemplates;
import dev.vigil.posture.podspec.PodTemplates.Workload;
import dev.vigil.posture.rbac.PolicyRole;
import dev.vigil.posture.rbac.Principal;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.rbac.Request;
import dev.vigil.posture.rbac.Rule;
import dev.vigil.posture.rbac.Subject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attack graph of a cluster: entry points, workloads, identities, nodes, namespaces and the
 * critical targets, joined by the steps an attacker can take, each labelled with its MITRE ATT&CK
 * technique.
 *
 * <p>Steps:
 * <ul>
 *   <li>internet → workloads exposed by a NodePort/LoadBalancer/externalIPs Service or an Ingress
 *       backend (T1190);</li>
 *   <li>workload → its service account when the token is mounted (T1528); workload → node root when
 *       its spec allows an escape ({@link Escapes}, T1611); node root → the tokens of every pod
 *       scheduled on that node (T1528);</li>
 *   <li>identity → what RBAC lets it do, asked of the authorizer ({@link RbacPolicy#authorize}):
 *       cluster-admin equivalence (T1078); listing secrets cluster-wide (T1552.007); reading a
 *       service account's token secret (T1528); creating pods or workload controllers in a namespace
 *       → that namespace's service accounts and, where Pod Security does not enforce baseline or
 *       restricted, node root (T1610); pods/exec → the namespace's workloads (T1609);
 *       serviceaccounts/token and impersonating service accounts → the namespace's service accounts;
 *       impersonating users or the group {@code system:masters}; binding a role worth having, with
 *       the right to create the binding (the API server's escalation check lets a binding through
 *       only with {@code bind} on that role or already holding its rights, so binding a weak role
 *       escalates nothing); escalating a role the identity is bound to; approving CSRs for the
 *       client signer (T1649); nodes/proxy → every workload (T1609).</li>
 * </ul>
 * Entry identities are "any authenticated user" (only {@code system:authenticated}) and anonymous
 * requests; every workload is also an entry (a compromised pod).
 */
public final class AttackGraph {

    /** What a graph node stands for. */
    public enum Kind { ENTRY, WORKLOAD, IDENTITY, NODE, NAMESPACE, TARGET }

    /** A graph node; {@code id} is unique, {@code label} is what reports show. */
    public record Node(String id, Kind kind, String label) {
    }

    /** One step: from → to by {@code technique}, with the evidence that makes it possible. */
    public record Edge(Node from, Node to, Technique technique, String reason) {
    }

    public static final String INTERNET = "entry:internet";
    public static final String AUTHENTICATED = "entry:authenticated";
    public static final String ANONYMOUS = "entry:anonymous";
    public static final String CLUSTER_ADMIN = "target:cluster-admin";
    public static final String NODE_ROOT = "target:node-root";
    public static final String ALL_SECRETS = "target:all-secrets";

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<Edge>> out = new HashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    private AttackGraph() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<Edge> edges() {
        return List.copyOf(edges);
    }

    public Node node(String id) {
        return nodes.get(id);
    }

    public List<Edge> from(String id) {
        return out.getOrDefault(id, List.of());
    }

    private Node node(String id, Kind kind, String label) {
        return nodes.computeIfAbsent(id, k -> new Node(id, kind, label));
    }

    private void edge(Node from, Node to, Technique t, String reason) {
        if (from.id().equals(to.id())) {
            return;
        }
        for (Edge e : out.getOrDefault(from.id(), List.of())) {
            if (e.to().id().equals(to.id())) {
                return;
            }
        }
        Edge e = new Edge(from, to, t, reason);
        out.computeIfAbsent(from.id(), k -> new ArrayList<>()).add(e);
        edges.add(e);
    }

    /** Collects objects as they stream in, then builds the graph. */
    public static final class Builder {
        private final RbacPolicy.Builder rbac = RbacPolicy.builder();
        private final List<Workload> workloads = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<Ingress> ingresses = new ArrayList<>();
        private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        private final Map<String, Boolean> automount = new HashMap<>();
        private final Set<String> serviceAccounts = new TreeSet<>();
        private final Map<String, List<String>> tokenSecrets = new HashMap<>();
        private RbacPolicy policy;

        /** Adds any object; those that play no part in attack paths are ignored. */
        public Builder add(HasMetadata o) {
            rbac.add(o);
            PodTemplates.of(o).ifPresent(workloads::add);
            String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
            switch (o) {
                case Service s -> services.add(s);
                case Ingress i -> ingresses.add(i);
                case Namespace n -> namespaceLabels.put(n.getMetadata().getName(),
                        n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels()));
                case ServiceAccount sa -> {
                    serviceAccounts.add(ns + "/" + sa.getMetadata().getName());
                    if (sa.getAutomountServiceAccountToken() != null) {
                        automount.put(ns + "/" + sa.getMetadata().getName(), sa.getAutomountServiceAccountToken());
                    }
                }
                case Secret s when "kubernetes.io/service-account-token".equals(s.getType())
                        && s.getMetadata().getAnnotations() != null
                        && s.getMetadata().getAnnotations().get("kubernetes.io/service-account.name") != null ->
                        tokenSecrets.computeIfAbsent(ns + "/" + s.getMetadata().getAnnotations().get("kubernetes.io/service-account.name"),
                                k -> new ArrayList<>()).add(s.getMetadata().getName());
                default -> {
                }
            }
            return this;
        }

        /** Uses an already built policy instead of the RBAC objects added (they are then ignored). */
        public Builder policy(RbacPolicy p) {
            this.policy = p;
            return this;
        }

        public AttackGraph build() {
            RbacPolicy p = policy != null ? policy : rbac.build();
            return new Assembly(p, PodTemplates.topLevel(workloads), this).graph;
        }
    }

    /** The work of {@link Builder#build()}: nodes first, then the steps out of each. */
    private static final class Assembly {
        final AttackGraph graph = new AttackGraph();
        final RbacPolicy policy;
        final List<Workload> workloads;
        final Builder in;
        final Set<String> namespaces = new TreeSet<>();
        final Map<String, List<Workload>> byNamespace = new HashMap<>();
        final Map<String, Set<String>> accountsByNamespace = new HashMap<>();
        final Set<String> users = new TreeSet<>();

        Assembly(RbacPolicy policy, List<Workload> workloads, Builder in) {
            this.policy = policy;
            this.workloads = workloads;
            this.in = in;
            collect();
            graph.node(INTERNET, Kind.ENTRY, "internet");
            graph.node(AUTHENTICATED, Kind.ENTRY, "any authenticated user");
            graph.node(ANONYMOUS, Kind.ENTRY, "anonymous request");
            graph.node(CLUSTER_ADMIN, Kind.TARGET, "cluster-admin equivalence");
            graph.node(NODE_ROOT, Kind.TARGET, "root on a node");
            graph.node(ALL_SECRETS, Kind.TARGET, "all secrets");
            exposure();
            workloadSteps();
            identitySteps(graph.node(AUTHENTICATED), Principal.user("", List.of()));
            identitySteps(graph.node(ANONYMOUS), Principal.anonymous());
            accountsByNamespace.forEach((ns, names) -> names.forEach(n ->
                    identitySteps(account(ns, n), Principal.serviceAccount(ns, n, List.of()))));
            users.forEach(u -> identitySteps(user(u), Principal.user(u, List.of())));
        }

        private void collect() {
            for (Workload w : workloads) {
                namespaces.add(w.namespace());
                byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
                accountsByNamespace.computeIfAbsent(w.namespace(), k -> new TreeSet<>()).add(w.serviceAccount());
            }
            for (String sa : in.serviceAccounts) {
                int slash = sa.indexOf('/');
                namespaces.add(sa.substring(0, slash));
                accountsByNamespace.computeIfAbsent(sa.substring(0, slash), k -> new TreeSet<>()).add(sa.substring(slash + 1));
            }
            namespaces.addAll(in.namespaceLabels.keySet());
            for (var b : policy.bindings()) {
                if (!b.namespace().isEmpty()) {
                    namespaces.add(b.namespace());
                }
                for (Subject s : b.subjects()) {
                    Subject r = s.resolvedIn(b.namespace());
                    if (r.kind().equals(Subject.USER) && !r.name().startsWith("system:")) {
                        users.add(r.name());
                    } else if (r.kind().equals(Subject.SERVICE_ACCOUNT) && !r.namespace().isEmpty()) {
                        accountsByNamespace.computeIfAbsent(r.namespace(), k -> new TreeSet<>()).add(r.name());
                        namespaces.add(r.namespace());
                    }
                }
            }
        }

        private Node workload(Workload w) {
            return graph.node("workload:" + w.key(), Kind.WORKLOAD, w.kind() + " " + w.namespace() + "/" + w.name());
        }

        private Node account(String ns, String name) {
            return graph.node("sa:" + ns + "/" + name, Kind.IDENTITY, "ServiceAccount " + ns + "/" + name);
        }

        private Node user(String name) {
            return graph.node("user:" + name, Kind.IDENTITY, "User " + name);
        }

        private Node namespaceControl(String ns) {
            return graph.node("namespace:" + ns, Kind.NAMESPACE, "control of namespace " + ns);
        }

        private void exposure() {
            Map<String, Service> byName = new HashMap<>();
            for (Service s : in.services) {
                byName.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
                String type = s.getSpec() == null ? null : s.getSpec().getType();
                boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type)
                        || (s.getSpec() != null && s.getSpec().getExternalIPs() != null && !s.getSpec().getExternalIPs().isEmpty());
                if (external) {
                    expose(s, "Service " + s.getMetadata().getName() + " (" + (type == null ? "externalIPs" : type) + ")");
                }
            }
            for (Ingress i : in.ingresses) {
                String ns = i.getMetadata().getNamespace();
                List<IngressBackend> backends = new ArrayList<>();
                if (i.getSpec() != null && i.getSpec().getDefaultBackend() != null) {
                    backends.add(i.getSpec().getDefaultBackend());
                }
                if (i.getSpec() != null && i.getSpec().getRules() != null) {
                    for (IngressRule r : i.getSpec().getRules()) {
                        if (r.getHttp() != null && r.getHttp().getPaths() != null) {
                            for (HTTPIngressPath p : r.getHttp().getPaths()) {
                                backends.add(p.getBackend());
                            }
                        }
                    }
                }
                for (IngressBackend b : backends) {
                    if (b != null && b.getService() != null) {
                        Service s = byName.get(ns + "/" + b.getService().getName());
                        if (s != null) {
                            expose(s, "Ingress " + i.getMetadata().getName() + " → Service " + s.getMetadata().getName());
                        }
                    }
                }
            }
        }

        private void expose(Service s, String how) {
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                return;
            }
            for (Workload w : byNamespace.getOrDefault(s.getMetadata().getNamespace(), List.of())) {
                if (w.labels().entrySet().containsAll(selector.entrySet())) {
                    graph.edge(graph.node(INTERNET), workload(w), Technique.EXPLOIT_PUBLIC_FACING, "exposed by " + how);
                }
            }
        }

        private boolean tokenMounted(Workload w) {
            Boolean pod = w.spec().getAutomountServiceAccountToken();
            return pod != null ? pod : in.automount.getOrDefault(w.namespace() + "/" + w.serviceAccount(), true);
        }

        private void workloadSteps() {
            for (Workload w : workloads) {
                Node wn = workload(w);
                if (tokenMounted(w)) {
                    graph.edge(wn, account(w.namespace(), w.serviceAccount()), Technique.STEAL_TOKEN,
                            "mounted service account token (/var/run/secrets/kubernetes.io/serviceaccount/token)");
                }
                List<String> escapes = Escapes.of(w.spec());
                if (!escapes.isEmpty()) {
                    String nodeName = w.spec().getNodeName();
                    Node target = nodeName == null || nodeName.isEmpty() ? graph.node(NODE_ROOT)
                            : graph.node("node:" + nodeName, Kind.NODE, "root on node " + nodeName);
                    graph.edge(wn, target, Technique.ESCAPE_TO_HOST, String.join("; ", escapes));
                }
            }
            for (Workload w : workloads) {
                String nodeName = w.spec().getNodeName();
                Node node = nodeName == null ? null : graph.node("node:" + nodeName);
                if (node != null) {
                    graph.edge(node, graph.node(NODE_ROOT), Technique.ESCAPE_TO_HOST, "root on node " + nodeName);
                    if (tokenMounted(w)) {
                        graph.edge(node, account(w.namespace(), w.serviceAccount()), Technique.STEAL_TOKEN,
                                "token of " + w.kind() + " " + w.namespace() + "/" + w.name()
                                        + " under /var/lib/kubelet/pods on node " + nodeName);
                    }
                }
            }
        }

        private boolean allows(Principal p, String verb, String group, String resource, String sub, String name, String ns) {
            return policy.authorize(p, Request.resource(verb, group, resource, sub, name, ns)).allowed();
        }

        private String via(Principal p, String verb, String group, String resource, String sub, String name, String ns) {
            return policy.authorize(p, Request.resource(verb, group, resource, sub, name, ns)).reason().replace("allowed by ", "");
        }

        private static final String RBAC = "rbac.authorization.k8s.io";
        private static final List<String[]> CONTROLLERS = List.of(new String[] {"apps", "deployments"},
                new String[] {"apps", "daemonsets"}, new String[] {"apps", "statefulsets"}, new String[] {"apps", "replicasets"},
                new String[] {"batch", "jobs"}, new String[] {"batch", "cronjobs"}, new String[] {"", "replicationcontrollers"});

        private void identitySteps(Node id, Principal p) {
            for (var g : policy.grantsOf(p, "")) {
                for (Rule r : g.rules()) {
                    if (r.grantsEverything()) {
                        graph.edge(id, graph.node(CLUSTER_ADMIN), Technique.VALID_ACCOUNTS,
                                "holds * on * through " + g.via().binding().describe() + " → " + g.via().role().describe());
                    }
                }
            }
            if (allows(p, "list", "", "secrets", "", "", "")) {
                graph.edge(id, graph.node(ALL_SECRETS), Technique.CONTAINER_API_CREDENTIALS,
                        "list secrets cluster-wide via " + via(p, "list", "", "secrets", "", "", ""));
            }
            clusterEscalations(id, p);
            for (String ns : namespaces) {
                namespaceSteps(id, p, ns);
            }
        }

        private void clusterEscalations(Node id, Principal p) {
            if (allows(p, "create", RBAC, "clusterrolebindings", "", "", "")) {
                for (PolicyRole role : policy.roles()) {
                    if (role.kind().equals(PolicyRole.CLUSTER_ROLE) && grantsEverything(role)
                            && allows(p, "bind", RBAC, "clusterroles", "", role.name(), "")) {
                        graph.edge(id, graph.node(CLUSTER_ADMIN), Technique.ADDITIONAL_CLUSTER_ROLES,
                                "may create ClusterRoleBindings and bind ClusterRole " + role.name() + " (* on *)");
                        break;
                    }
                }
            }
            for (var g : policy.grantsOf(p, "")) {
                PolicyRole role = g.via().role();
                if (role != null && role.kind().equals(PolicyRole.CLUSTER_ROLE)
                        && allows(p, "escalate", RBAC, "clusterroles", "", role.name(), "")
                        && (allows(p, "update", RBAC, "clusterroles", "", role.name(), "")
                        || allows(p, "patch", RBAC, "clusterroles", "", role.name(), ""))) {
                    graph.edge(id, graph.node(CLUSTER_ADMIN), Technique.ADDITIONAL_CLUSTER_ROLES,
                            "may escalate and update ClusterRole " + role.name() + ", which "
                                    + g.via().binding().describe() + " binds to it cluster-wide");
                }
            }
            if (allows(p, "impersonate", "", "groups", "", "system:masters", "")) {
                graph.edge(id, graph.node(CLUSTER_ADMIN), Technique.VALID_ACCOUNTS,
                        "may impersonate group system:masters (via " + via(p, "impersonate", "", "groups", "", "system:masters", "") + ")");
            }
            for (String u : users) {
                if (!id.id().equals("user:" + u) && allows(p, "impersonate", "", "users", "", u, "")) {
                    graph.edge(id, user(u), Technique.VALID_ACCOUNTS, "may impersonate user " + u);
                }
            }
            if (allows(p, "create", "certificates.k8s.io", "certificatesigningrequests", "", "", "")
                    && (allows(p, "update", "certificates.k8s.io", "certificatesigningrequests", "approval", "", "")
                    || allows(p, "patch", "certificates.k8s.io", "certificatesigningrequests", "approval", "", ""))
                    && allows(p, "approve", "certificates.k8s.io", "signers", "", "kubernetes.io/kube-apiserver-client", "")) {
                graph.edge(id, graph.node(CLUSTER_ADMIN), Technique.FORGE_CERTIFICATES,
                        "may create and approve a client certificate for group system:masters");
            }
            if (allows(p, "get", "", "nodes", "proxy", "", "") || allows(p, "create", "", "nodes", "proxy", "", "")) {
                for (Workload w : workloads) {
                    graph.edge(id, workload(w), Technique.CONTAINER_ADMIN_COMMAND, "kubelet API through nodes/proxy");
                }
            }
        }

        private void namespaceSteps(Node id, Principal p, String ns) {
            Set<String> accounts = accountsByNamespace.getOrDefault(ns, Set.of());
            boolean podCreate = allows(p, "create", "", "pods", "", "", ns);
            String how = podCreate ? "create pods" : null;
            for (String[] c : CONTROLLERS) {
                if (how == null && allows(p, "create", c[0], c[1], "", "", ns)) {
                    how = "create " + c[1];
                }
            }
            if (how != null) {
                for (String sa : accounts) {
                    graph.edge(id, account(ns, sa), Technique.DEPLOY_CONTAINER,
                            how + " in " + ns + " running as ServiceAccount " + sa);
                }
                if (!podSecurityEnforced(ns)) {
                    graph.edge(id, graph.node(NODE_ROOT), Technique.DEPLOY_CONTAINER,
                            how + " in " + ns + " with a privileged pod (namespace enforces no Pod Security level)");
                }
            }
            if (allows(p, "create", "", "pods", "exec", "", ns) || allows(p, "get", "", "pods", "exec", "", ns)) {
                for (Workload w : byNamespace.getOrDefault(ns, List.of())) {
                    graph.edge(id, workload(w), Technique.CONTAINER_ADMIN_COMMAND, "pods/exec in " + ns);
                }
            }
            for (String sa : accounts) {
                if (allows(p, "create", "", "serviceaccounts", "token", sa, ns)) {
                    graph.edge(id, account(ns, sa), Technique.STEAL_TOKEN, "create serviceaccounts/token for " + sa);
                } else if (allows(p, "impersonate", "", "serviceaccounts", "", sa, ns)) {
                    graph.edge(id, account(ns, sa), Technique.VALID_ACCOUNTS, "impersonate ServiceAccount " + ns + "/" + sa);
                }
                for (String secret : in.tokenSecrets.getOrDefault(ns + "/" + sa, List.of())) {
                    if (allows(p, "get", "", "secrets", "", secret, ns)) {
                        graph.edge(id, account(ns, sa), Technique.STEAL_TOKEN, "read token Secret " + ns + "/" + secret);
                    }
                }
            }
            namespaceEscalation(id, p, ns);
        }

        private void namespaceEscalation(Node id, Principal p, String ns) {
            if (!allows(p, "create", RBAC, "rolebindings", "", "", ns)) {
                return;
            }
            for (PolicyRole role : policy.roles()) {
                boolean local = role.kind().equals(PolicyRole.ROLE);
                if ((local && !role.namespace().equals(ns)) || !worthBinding(role, ns)) {
                    continue;
                }
                if (allows(p, "bind", RBAC, local ? "roles" : "clusterroles", "", role.name(), ns)) {
                    Node control = namespaceControl(ns);
                    graph.edge(id, control, Technique.ADDITIONAL_CLUSTER_ROLES,
                            "may create RoleBindings in " + ns + " and bind " + role.describe());
                    controlSteps(control, ns);
                    return;
                }
            }
        }

        private void controlSteps(Node control, String ns) {
            for (String sa : accountsByNamespace.getOrDefault(ns, Set.of())) {
                graph.edge(control, account(ns, sa), Technique.DEPLOY_CONTAINER, "run a pod as ServiceAccount " + sa);
            }
            for (Workload w : byNamespace.getOrDefault(ns, List.of())) {
                graph.edge(control, workload(w), Technique.CONTAINER_ADMIN_COMMAND, "exec into the pod");
            }
            if (!podSecurityEnforced(ns)) {
                graph.edge(control, graph.node(NODE_ROOT), Technique.DEPLOY_CONTAINER,
                        "run a privileged pod in " + ns + " (namespace enforces no Pod Security level)");
            }
        }

        /** A role whose rules in {@code ns} let the holder run code as others: create pods, exec, or everything. */
        private boolean worthBinding(PolicyRole role, String ns) {
            for (Rule r : role.rules()) {
                if (r.grantsEverything() || r.allows(Request.resource("create", "", "pods", "", "", ns))
                        || r.allows(Request.resource("create", "", "pods", "exec", "", ns))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean grantsEverything(PolicyRole role) {
            return role.rules().stream().anyMatch(Rule::grantsEverything);
        }

        private boolean podSecurityEnforced(String ns) {
            String level = in.namespaceLabels.getOrDefault(ns, Map.of()).get("pod-security.kubernetes.io/enforce");
            return "baseline".equals(level) || "restricted".equals(level);
        }
    }
}
