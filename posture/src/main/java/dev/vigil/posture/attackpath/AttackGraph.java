package dev.vigil.posture.attackpath;

import dev.vigil.posture.rbac.PolicyRole;
import dev.vigil.posture.rbac.Principal;
import dev.vigil.posture.rbac.RbacPolicy;
import dev.vigil.posture.rbac.Request;
import dev.vigil.posture.rbac.Rule;
import dev.vigil.posture.rbac.Subject;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.PodTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The attack graph of a cluster: entry points, workloads, the volumes they mount, secrets,
 * identities, nodes, namespaces and the critical targets, joined by the steps an attacker can take,
 * each labelled with its MITRE ATT&CK technique.
 *
 * <p>Steps:
 * <ul>
 *   <li>internet → workloads exposed by a NodePort/LoadBalancer/externalIPs Service or an Ingress
 *       backend (T1190);</li>
 *   <li>workload → the volumes its containers mount: the service account token (the automatic
 *       {@code kube-api-access} volume, or a projected {@code serviceAccountToken}) → its service
 *       account, unless the token is bound to another audience than the API server (T1528); a Secret
 *       volume → the Secret (T1552.001); a hostPath → root on the node when the path holds the
 *       node's root, {@code /proc/sys/kernel}, {@code /var/log}, {@code /etc}, the kubelet's state or
 *       a runtime socket (T1611) — other hostPaths are nodes with no way on;</li>
 *   <li>workload → Secrets its environment takes values from (T1552.001); workload → node root when
 *       its spec allows an escape without a mount ({@link Escapes}, T1611); a node → the token and
 *       Secret volumes of every pod scheduled on it (T1528, T1552.001);</li>
 *   <li>Secret of type {@code kubernetes.io/service-account-token} → its service account (T1528);</li>
 *   <li>identity → what RBAC lets it do, asked of the authorizer ({@link RbacPolicy#authorize}):
 *       cluster-admin equivalence (T1078); listing secrets cluster-wide (T1552.007); getting a Secret
 *       (T1552.007); creating pods or workload controllers in a namespace → that namespace's service
 *       accounts and, where Pod Security does not enforce baseline or restricted, node root (T1610);
 *       pods/exec → the namespace's workloads (T1609); serviceaccounts/token and impersonating service
 *       accounts → the namespace's service accounts; impersonating users or the group
 *       {@code system:masters}; binding a role worth having, with the right to create the binding (the
 *       API server's escalation check lets a binding through only with {@code bind} on that role or
 *       already holding its rights, so binding a weak role escalates nothing); escalating a role the
 *       identity is bound to; approving CSRs for the client signer (T1649); nodes/proxy → every
 *       workload (T1609).</li>
 * </ul>
 * Entry identities are "any authenticated user" (only {@code system:authenticated}) and anonymous
 * requests; every workload is also an entry (a compromised pod).
 */
public final class AttackGraph {

    /** What a graph node stands for. */
    public enum Kind { ENTRY, WORKLOAD, VOLUME, SECRET, IDENTITY, NODE, NAMESPACE, TARGET }

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

    /** Name of the token volume kubelet adds to pods that automount their service account token. */
    static final String TOKEN_VOLUME = "kube-api-access";
    /** Where kubelet mounts it. */
    static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final String SA_TOKEN_TYPE = "kubernetes.io/service-account-token";
    private static final String SA_NAME_ANNOTATION = "kubernetes.io/service-account.name";

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

    /** A Secret object: its type and, for service-account tokens, whose token it holds. */
    private record SecretInfo(String type, String serviceAccount) {
    }

    /** Collects objects as they stream in, then builds the graph. */
    public static final class Builder {
        private final RbacPolicy.Builder rbac = RbacPolicy.builder();
        private final List<PodTemplate> workloads = new ArrayList<>();
        private final List<KubeObject> services = new ArrayList<>();
        private final List<KubeObject> ingresses = new ArrayList<>();
        private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        private final Map<String, Boolean> automount = new HashMap<>();
        private final Set<String> serviceAccounts = new TreeSet<>();
        /** {@code namespace/name} → the Secret object's type and account. */
        private final Map<String, SecretInfo> secrets = new TreeMap<>();
        private RbacPolicy policy;

        /** Adds any object; those that play no part in attack paths are ignored. */
        public Builder add(KubeObject o) {
            if (rbac.add(o)) {
                return this;
            }
            PodTemplate pod = PodTemplate.of(o);
            if (pod != null) {
                workloads.add(pod);
                return this;
            }
            String ns = o.namespace() == null ? PodTemplate.DEFAULT_NAMESPACE : o.namespace();
            switch (o.kind()) {
                case "Service" -> services.add(o);
                case "Ingress" -> ingresses.add(o);
                case "Namespace" -> namespaceLabels.put(o.name(), o.labels());
                case "ServiceAccount" -> {
                    serviceAccounts.add(ns + "/" + o.name());
                    JsonNode a = o.json().get("automountServiceAccountToken");
                    if (a != null && a.isBoolean()) {
                        automount.put(ns + "/" + o.name(), a.booleanValue());
                    }
                }
                case "Secret" -> {
                    String type = KubeObject.text(o.json().get("type"));
                    String account = SA_TOKEN_TYPE.equals(type) ? o.annotations().get(SA_NAME_ANNOTATION) : null;
                    secrets.put(ns + "/" + o.name(), new SecretInfo(type, account));
                }
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
            return new Assembly(p, PodTemplate.topLevel(workloads), this).graph;
        }
    }

    /** The work of {@link Builder#build()}: nodes first, then the steps out of each. */
    private static final class Assembly {
        final AttackGraph graph = new AttackGraph();
        final RbacPolicy policy;
        final List<PodTemplate> workloads;
        final Builder in;
        final Set<String> namespaces = new TreeSet<>();
        final Map<String, List<PodTemplate>> byNamespace = new HashMap<>();
        final Map<String, Set<String>> accountsByNamespace = new HashMap<>();
        final Map<String, Set<String>> secretsByNamespace = new HashMap<>();
        final Set<String> users = new TreeSet<>();

        Assembly(RbacPolicy policy, List<PodTemplate> workloads, Builder in) {
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
            secretSteps();
            identitySteps(graph.node(AUTHENTICATED), Principal.user("", List.of()));
            identitySteps(graph.node(ANONYMOUS), Principal.anonymous());
            accountsByNamespace.forEach((ns, names) -> names.forEach(n ->
                    identitySteps(account(ns, n), Principal.serviceAccount(ns, n, List.of()))));
            users.forEach(u -> identitySteps(user(u), Principal.user(u, List.of())));
        }

        private void collect() {
            for (PodTemplate w : workloads) {
                namespaces.add(w.namespace());
                byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
                accountsByNamespace.computeIfAbsent(w.namespace(), k -> new TreeSet<>()).add(w.serviceAccount());
                for (String secret : referencedSecrets(w)) {
                    secretsByNamespace.computeIfAbsent(w.namespace(), k -> new TreeSet<>()).add(secret);
                }
            }
            for (String sa : in.serviceAccounts) {
                int slash = sa.indexOf('/');
                namespaces.add(sa.substring(0, slash));
                accountsByNamespace.computeIfAbsent(sa.substring(0, slash), k -> new TreeSet<>()).add(sa.substring(slash + 1));
            }
            for (String secret : in.secrets.keySet()) {
                int slash = secret.indexOf('/');
                namespaces.add(secret.substring(0, slash));
                secretsByNamespace.computeIfAbsent(secret.substring(0, slash), k -> new TreeSet<>()).add(secret.substring(slash + 1));
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

        private Node workload(PodTemplate w) {
            return graph.node("workload:" + w.key(), Kind.WORKLOAD, w.describe());
        }

        private Node volume(PodTemplate w, String name, String label) {
            return graph.node("volume:" + w.key() + "/" + name, Kind.VOLUME, label + " (volume " + name + " of " + w.describe() + ")");
        }

        private Node secret(String ns, String name) {
            return graph.node("secret:" + ns + "/" + name, Kind.SECRET, "Secret " + ns + "/" + name);
        }

        private Node account(String ns, String name) {
            return graph.node("sa:" + ns + "/" + name, Kind.IDENTITY, "ServiceAccount " + ns + "/" + name);
        }

        private Node user(String name) {
            return graph.node("user:" + name, Kind.IDENTITY, "User " + name);
        }

        private Node host(PodTemplate w) {
            String nodeName = w.nodeName();
            return nodeName == null ? graph.node(NODE_ROOT)
                    : graph.node("node:" + nodeName, Kind.NODE, "root on node " + nodeName);
        }

        private Node namespaceControl(String ns) {
            return graph.node("namespace:" + ns, Kind.NAMESPACE, "control of namespace " + ns);
        }

        private void exposure() {
            Map<String, KubeObject> byName = new HashMap<>();
            for (KubeObject s : in.services) {
                byName.put(namespaceOf(s) + "/" + s.name(), s);
                JsonNode spec = s.json().path("spec");
                String type = KubeObject.text(spec.get("type"));
                boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type) || !spec.path("externalIPs").isEmpty();
                if (external) {
                    expose(s, "Service " + s.name() + " (" + (type == null || type.equals("ClusterIP") ? "externalIPs" : type) + ")");
                }
            }
            for (KubeObject i : in.ingresses) {
                JsonNode spec = i.json().path("spec");
                List<JsonNode> backends = new ArrayList<>();
                backends.add(spec.path("defaultBackend"));
                for (JsonNode r : spec.path("rules")) {
                    for (JsonNode p : r.path("http").path("paths")) {
                        backends.add(p.path("backend"));
                    }
                }
                for (JsonNode b : backends) {
                    String service = KubeObject.text(b.path("service").get("name"));
                    KubeObject s = service == null ? null : byName.get(namespaceOf(i) + "/" + service);
                    if (s != null) {
                        expose(s, "Ingress " + i.name() + " → Service " + s.name());
                    }
                }
            }
        }

        private static String namespaceOf(KubeObject o) {
            return o.namespace() == null ? PodTemplate.DEFAULT_NAMESPACE : o.namespace();
        }

        private void expose(KubeObject s, String how) {
            Map<String, String> selector = KubeObject.stringMap(s.json().path("spec").path("selector"));
            if (selector.isEmpty()) {
                return;
            }
            for (PodTemplate w : byNamespace.getOrDefault(namespaceOf(s), List.of())) {
                if (w.labels().entrySet().containsAll(selector.entrySet())) {
                    graph.edge(graph.node(INTERNET), workload(w), Technique.EXPLOIT_PUBLIC_FACING, "exposed by " + how);
                }
            }
        }

        /**
         * Whether a container mounts a volume of its own at {@code path}; at the token path the
         * ServiceAccount admission then adds no token volume (and admitted pods carry theirs explicitly,
         * as a projected {@code kube-api-access-*} volume).
         */
        private static boolean mountsAt(PodTemplate w, String path) {
            for (JsonNode c : w.containers()) {
                for (JsonNode m : c.path("volumeMounts")) {
                    if (path.equals(KubeObject.text(m.get("mountPath")))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean tokenMounted(PodTemplate w) {
            Boolean pod = w.automountToken();
            return pod != null ? pod : in.automount.getOrDefault(w.namespace() + "/" + w.serviceAccount(), true);
        }

        /** Names of the Secrets a pod mounts or takes environment values from. */
        private static Set<String> referencedSecrets(PodTemplate w) {
            Set<String> out = new TreeSet<>();
            for (JsonNode v : w.spec().path("volumes")) {
                addText(out, v.path("secret").get("secretName"));
                for (JsonNode src : v.path("projected").path("sources")) {
                    addText(out, src.path("secret").get("name"));
                }
            }
            for (JsonNode c : w.containers()) {
                for (JsonNode e : c.path("env")) {
                    addText(out, e.path("valueFrom").path("secretKeyRef").get("name"));
                }
                for (JsonNode e : c.path("envFrom")) {
                    addText(out, e.path("secretRef").get("name"));
                }
            }
            return out;
        }

        private static void addText(Set<String> out, JsonNode n) {
            String t = KubeObject.text(n);
            if (t != null && !t.isEmpty()) {
                out.add(t);
            }
        }

        /** A volume of a pod that reaches something (a token, a Secret): its node can read it. */
        private record Loot(Node volume, Technique technique) {
        }

        /** The loot of each workload, by {@link PodTemplate#key()}. */
        private final Map<String, List<Loot>> stealable = new HashMap<>();

        private void workloadSteps() {
            for (PodTemplate w : workloads) {
                Node wn = workload(w);
                List<Loot> loot = stealable.computeIfAbsent(w.key(), k -> new ArrayList<>());
                if (tokenMounted(w) && !mountsAt(w, TOKEN_PATH)) {
                    Node token = volume(w, TOKEN_VOLUME, "service account token");
                    graph.edge(wn, token, Technique.STEAL_TOKEN, "reads the token mounted at " + TOKEN_PATH);
                    graph.edge(token, account(w.namespace(), w.serviceAccount()), Technique.STEAL_TOKEN,
                            "token of ServiceAccount " + w.namespace() + "/" + w.serviceAccount());
                    loot.add(new Loot(token, Technique.STEAL_TOKEN));
                }
                mountedVolumes(w, wn, loot);
                for (JsonNode c : w.containers()) {
                    String container = KubeObject.text(c.get("name"));
                    for (JsonNode e : c.path("env")) {
                        String name = KubeObject.text(e.path("valueFrom").path("secretKeyRef").get("name"));
                        if (name != null && !name.isEmpty()) {
                            graph.edge(wn, secret(w.namespace(), name), Technique.CREDENTIALS_IN_FILES,
                                    "environment variable " + KubeObject.text(e.get("name")) + " of container " + container
                                            + " holds a key of Secret " + name);
                        }
                    }
                    for (JsonNode e : c.path("envFrom")) {
                        String name = KubeObject.text(e.path("secretRef").get("name"));
                        if (name != null && !name.isEmpty()) {
                            graph.edge(wn, secret(w.namespace(), name), Technique.CREDENTIALS_IN_FILES,
                                    "the environment of container " + container + " holds every key of Secret " + name);
                        }
                    }
                }
                List<String> escapes = Escapes.of(w);
                if (!escapes.isEmpty()) {
                    graph.edge(wn, host(w), Technique.ESCAPE_TO_HOST, String.join("; ", escapes));
                }
            }
            for (PodTemplate w : workloads) {
                String nodeName = w.nodeName();
                if (nodeName == null) {
                    continue;
                }
                Node node = host(w);
                graph.edge(node, graph.node(NODE_ROOT), Technique.ESCAPE_TO_HOST, "root on node " + nodeName);
                for (Loot l : stealable.getOrDefault(w.key(), List.of())) {
                    graph.edge(node, l.volume(), l.technique(),
                            "files of " + w.describe() + " under /var/lib/kubelet/pods on node " + nodeName);
                }
            }
        }

        /** Steps through the volumes a container of {@code w} mounts: hostPath, Secret and projected. */
        private void mountedVolumes(PodTemplate w, Node wn, List<Loot> loot) {
            Map<String, String> mounts = new LinkedHashMap<>();
            for (JsonNode c : w.containers()) {
                for (JsonNode m : c.path("volumeMounts")) {
                    String name = KubeObject.text(m.get("name"));
                    if (name != null) {
                        mounts.putIfAbsent(name, "container " + KubeObject.text(c.get("name")) + " mounts at "
                                + KubeObject.text(m.get("mountPath")));
                    }
                }
            }
            for (Map.Entry<String, String> m : mounts.entrySet()) {
                JsonNode v = w.volume(m.getKey());
                if (v == null) {
                    continue;
                }
                String hostPath = KubeObject.text(v.path("hostPath").get("path"));
                String secretName = KubeObject.text(v.path("secret").get("secretName"));
                if (hostPath != null) {
                    Node vn = volume(w, m.getKey(), "hostPath " + hostPath);
                    graph.edge(wn, vn, Technique.ESCAPE_TO_HOST, "hostPath " + hostPath + " (" + m.getValue() + ")");
                    String risk = Escapes.risk(hostPath);
                    if (risk != null) {
                        graph.edge(vn, host(w), Technique.ESCAPE_TO_HOST, "hostPath " + hostPath + " holds " + risk);
                    }
                } else if (secretName != null) {
                    Node vn = volume(w, m.getKey(), "Secret volume " + secretName);
                    graph.edge(wn, vn, Technique.CREDENTIALS_IN_FILES, "reads the files " + m.getValue());
                    graph.edge(vn, secret(w.namespace(), secretName), Technique.CREDENTIALS_IN_FILES,
                            "the keys of Secret " + w.namespace() + "/" + secretName);
                    loot.add(new Loot(vn, Technique.CREDENTIALS_IN_FILES));
                } else if (v.has("projected")) {
                    projected(w, wn, m, v.path("projected"), loot);
                }
            }
        }

        /**
         * A projected volume: its {@code serviceAccountToken} source reaches the pod's service account when
         * the token is for the API server (no audience; a token with an explicit audience is taken as
         * meant for another service, which the API server rejects); its Secret sources reach those Secrets.
         */
        private void projected(PodTemplate w, Node wn, Map.Entry<String, String> mount, JsonNode projected, List<Loot> loot) {
            boolean holdsToken = false;
            for (JsonNode src : projected.path("sources")) {
                holdsToken |= src.path("serviceAccountToken").isObject();
            }
            Node vn = volume(w, mount.getKey(), holdsToken ? "projected service account token" : "projected volume");
            boolean reaches = false;
            for (JsonNode src : projected.path("sources")) {
                JsonNode token = src.get("serviceAccountToken");
                if (token != null && token.isObject()) {
                    String audience = KubeObject.text(token.get("audience"));
                    if (audience == null || audience.isEmpty()) {
                        graph.edge(vn, account(w.namespace(), w.serviceAccount()), Technique.STEAL_TOKEN,
                                "token of ServiceAccount " + w.namespace() + "/" + w.serviceAccount() + " for the API server");
                        reaches = true;
                    }
                }
                String secretName = KubeObject.text(src.path("secret").get("name"));
                if (secretName != null) {
                    graph.edge(vn, secret(w.namespace(), secretName), Technique.CREDENTIALS_IN_FILES,
                            "the keys of Secret " + w.namespace() + "/" + secretName);
                    reaches = true;
                }
            }
            graph.edge(wn, vn, Technique.STEAL_TOKEN, "reads the files " + mount.getValue());
            if (reaches) {
                loot.add(new Loot(vn, Technique.STEAL_TOKEN));
            }
        }

        /** Secrets holding a service account's token lead to that account. */
        private void secretSteps() {
            in.secrets.forEach((key, info) -> {
                if (info.serviceAccount() != null) {
                    int slash = key.indexOf('/');
                    String ns = key.substring(0, slash);
                    graph.edge(secret(ns, key.substring(slash + 1)), account(ns, info.serviceAccount()), Technique.STEAL_TOKEN,
                            "holds the token of ServiceAccount " + ns + "/" + info.serviceAccount());
                }
            });
        }

        private boolean allows(Principal p, String verb, String group, String resource, String sub, String name, String ns) {
            return policy.authorize(p, Request.resource(verb, group, resource, sub, name, ns)).allowed();
        }

        private String via(Principal p, String verb, String group, String resource, String sub, String name, String ns) {
            return policy.authorize(p, Request.resource(verb, group, resource, sub, name, ns)).reason().replace("allowed by ", "");
        }

        private static final String RBAC = PolicyRole.API_GROUP;
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
                for (PodTemplate w : workloads) {
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
                for (PodTemplate w : byNamespace.getOrDefault(ns, List.of())) {
                    graph.edge(id, workload(w), Technique.CONTAINER_ADMIN_COMMAND, "pods/exec in " + ns);
                }
            }
            for (String sa : accounts) {
                if (allows(p, "create", "", "serviceaccounts", "token", sa, ns)) {
                    graph.edge(id, account(ns, sa), Technique.STEAL_TOKEN, "create serviceaccounts/token for " + sa);
                } else if (allows(p, "impersonate", "", "serviceaccounts", "", sa, ns)) {
                    graph.edge(id, account(ns, sa), Technique.VALID_ACCOUNTS, "impersonate ServiceAccount " + ns + "/" + sa);
                }
            }
            boolean anySecret = allows(p, "get", "", "secrets", "", "", ns);
            for (String secret : secretsByNamespace.getOrDefault(ns, Set.of())) {
                if (anySecret || allows(p, "get", "", "secrets", "", secret, ns)) {
                    graph.edge(id, secret(ns, secret), Technique.CONTAINER_API_CREDENTIALS,
                            "get Secret " + ns + "/" + secret + " via " + via(p, "get", "", "secrets", "", secret, ns));
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
            for (PodTemplate w : byNamespace.getOrDefault(ns, List.of())) {
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
