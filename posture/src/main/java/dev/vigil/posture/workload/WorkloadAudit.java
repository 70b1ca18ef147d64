package dev.vigil.posture.workload;

import dev.vigil.posture.pss.Decision;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PodSecurity;
import dev.vigil.posture.pss.PolicyVersion;
import dev.vigil.posture.pss.Violation;
import dev.vigil.posture.report.Finding;
import dev.vigil.posture.report.Resource;
import dev.vigil.posture.report.Rule;
import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.Anomalies;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.PodTemplate;
import dev.vigil.posture.waiver.Waivers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil audit workloads} as a sink: hardening checks beyond the Pod Security Standards and the
 * CIS Kubernetes Benchmark section 5 controls the API shows.
 *
 * <p>Checks on one object run as it streams past: image pinning, resource limits, runtime sockets,
 * writable root filesystems, secrets in env, the default namespace and service account, missing
 * security contexts, NodePort/LoadBalancer Services, and CIS 5.2.x/5.7.2 from a restricted Pod
 * Security evaluation. Checks that need other objects keep a compact record per workload (namespace,
 * labels, service account) and run in {@link #finish()}: pods no NetworkPolicy selects, namespaces
 * without NetworkPolicies or an enforced Pod Security level, and service-account tokens mounted where
 * the account has no RBAC binding at all (the heuristic for "does not use the API"), honouring the
 * service account's own {@code automountServiceAccountToken}.
 */
public final class WorkloadAudit implements ObjectSink {

    /** Env names that suggest a secret value. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key).*");
    /** Values that look like credentials: AWS keys, PEM blocks, JWTs, GitHub and Slack tokens. */
    static final Pattern SECRET_VALUE = Pattern.compile(
            "(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.|gh[pousr]_[A-Za-z0-9]{30,}|xox[baprs]-[A-Za-z0-9-]{10,}).*",
            Pattern.DOTALL);
    private static final List<String> SOCKETS = List.of("docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock");
    private static final Set<String> SOCKET_DIRS = Set.of("/var/run", "/run", "/var/run/docker", "/run/containerd",
            "/var/run/containerd", "/var/run/crio", "/run/crio");

    private record Workload(Resource resource, String namespace, Map<String, String> labels, String serviceAccount,
                            Boolean automount, Map<String, String> annotations) {
    }

    private record Policy(String namespace, JsonNode podSelector) {
    }

    private final Waivers waivers;
    private final Consumer<Finding> out;
    private final List<Workload> workloads = new ArrayList<>();
    private final List<Policy> policies = new ArrayList<>();
    private final Map<String, Boolean> serviceAccountAutomount = new HashMap<>();
    private final Set<String> boundSubjects = new HashSet<>();
    private final Map<String, Resource> namespaces = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Anomalies anomalies = new Anomalies();
    private long objects;
    private boolean sawBindings;

    public WorkloadAudit(Waivers waivers, Consumer<Finding> out) {
        this.waivers = waivers;
        this.out = out;
    }

    public static List<Rule> rules() {
        return WorkloadChecks.rules();
    }

    @Override
    public void object(KubeObject o) {
        objects++;
        switch (o.kind()) {
            case "Namespace" -> {
                namespaces.put(o.name(), o.resource());
                namespaceLabels.put(o.name(), o.labels());
            }
            case "NetworkPolicy" -> policies.add(new Policy(ns(o), o.json().path("spec").path("podSelector")));
            case "ServiceAccount" -> {
                JsonNode a = o.json().get("automountServiceAccountToken");
                Boolean automount = a != null && a.isBoolean() ? a.booleanValue() : null;
                serviceAccountAutomount.put(ns(o) + "/" + o.name(), automount);
                if (o.name().equals("default") && !Boolean.FALSE.equals(automount)) {
                    emit(o.resource(), "serviceaccount.default-automount", "default service account of namespace " + ns(o)
                            + " mounts its token into every pod that does not opt out (automountServiceAccountToken is "
                            + (automount == null ? "unset" : "true") + ")", o.annotations());
                }
            }
            case "RoleBinding", "ClusterRoleBinding" -> {
                sawBindings = true;
                for (JsonNode s : o.json().path("subjects")) {
                    String kind = KubeObject.text(s.get("kind"));
                    String name = KubeObject.text(s.get("name"));
                    if ("ServiceAccount".equals(kind)) {
                        String sns = KubeObject.text(s.get("namespace"));
                        boundSubjects.add((sns == null ? ns(o) : sns) + "/" + name);
                    } else if ("Group".equals(kind) && name != null) {
                        boundSubjects.add("group:" + name);
                    }
                }
            }
            case "Service" -> service(o);
            default -> {
                PodTemplate pod = PodTemplate.of(o);
                if (pod != null && !skipOwned(o)) {
                    workload(o, pod);
                }
            }
        }
    }

    /** Pods and ReplicaSets made by a controller are judged through that controller's template. */
    private static boolean skipOwned(KubeObject o) {
        if (!o.kind().equals("Pod") && !o.kind().equals("ReplicaSet") && !o.kind().equals("Job")) {
            return false;
        }
        for (JsonNode ref : o.json().path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private static String ns(KubeObject o) {
        return o.namespace() == null ? "default" : o.namespace();
    }

    private void workload(KubeObject o, PodTemplate pod) {
        Resource r = o.resource();
        Map<String, String> annotations = new LinkedHashMap<>(o.annotations());
        annotations.putAll(pod.annotations());
        JsonNode spec = pod.spec();
        List<JsonNode> containers = pod.containers();

        Set<String> latest = new TreeSet<>();
        Set<String> unpinned = new TreeSet<>();
        List<String> noLimits = new ArrayList<>();
        List<String> writable = new ArrayList<>();
        List<String> envSecrets = new ArrayList<>();
        boolean anyContext = present(spec.get("securityContext"));
        for (JsonNode c : containers) {
            String name = KubeObject.text(c.get("name"));
            String image = KubeObject.text(c.get("image"));
            if (image != null && !image.contains("@sha256:")) {
                unpinned.add(image);
                String last = image.substring(image.lastIndexOf('/') + 1);
                if (!last.contains(":") || last.endsWith(":latest")) {
                    latest.add(image);
                }
            }
            JsonNode res = c.path("resources");
            List<String> missing = new ArrayList<>();
            for (String kind : new String[] {"limits", "requests"}) {
                for (String what : new String[] {"cpu", "memory"}) {
                    if (!present(res.path(kind).get(what))) {
                        missing.add(kind + "." + what);
                    }
                }
            }
            if (!missing.isEmpty()) {
                noLimits.add(name + " (" + String.join(", ", missing) + ")");
            }
            JsonNode sc = c.get("securityContext");
            anyContext |= present(sc);
            if (!(sc != null && sc.path("readOnlyRootFilesystem").asBoolean(false))) {
                writable.add(name);
            }
            for (JsonNode env : c.path("env")) {
                String envName = KubeObject.text(env.get("name"));
                if (present(env.path("valueFrom").get("secretKeyRef"))) {
                    envSecrets.add(name + ": " + envName + " from secret " + KubeObject.text(env.path("valueFrom").path("secretKeyRef").get("name")));
                } else {
                    String value = KubeObject.text(env.get("value"));
                    if (value != null && !value.isEmpty() && !value.contains("$(")
                            && ((envName != null && SECRET_NAME.matcher(envName).matches() && value.length() >= 8)
                            || SECRET_VALUE.matcher(value).lookingAt())) {
                        envSecrets.add(name + ": " + envName + " holds a literal value that looks like a secret");
                    }
                }
            }
            for (JsonNode from : c.path("envFrom")) {
                if (present(from.get("secretRef"))) {
                    envSecrets.add(name + ": all keys of secret " + KubeObject.text(from.path("secretRef").get("name")));
                }
            }
        }
        if (!latest.isEmpty()) {
            emit(r, "image.latest", "images without a version tag or tagged latest: " + String.join(", ", latest), annotations);
        }
        if (!unpinned.isEmpty()) {
            emit(r, "image.digest", "images not pinned by digest: " + String.join(", ", unpinned), annotations);
        }
        if (!noLimits.isEmpty()) {
            emit(r, "resources.limits", "containers without resource limits or requests: " + String.join("; ", noLimits), annotations);
        }
        if (!writable.isEmpty()) {
            emit(r, "filesystem.writable", "containers with a writable root filesystem: " + String.join(", ", writable), annotations);
        }
        if (!envSecrets.isEmpty()) {
            emit(r, "secrets.env", "secrets in environment variables: " + String.join("; ", envSecrets), annotations);
        }
        if (!anyContext) {
            emit(r, "security-context.missing", "neither the pod nor any container sets a securityContext", annotations);
        }
        for (JsonNode v : spec.path("volumes")) {
            String path = KubeObject.text(v.path("hostPath").get("path"));
            if (path != null && (SOCKETS.stream().anyMatch(path::endsWith) || SOCKET_DIRS.contains(stripSlash(path)))) {
                emit(r, "runtime.socket", "volume " + KubeObject.text(v.get("name")) + " mounts the container runtime socket "
                        + (SOCKET_DIRS.contains(stripSlash(path)) ? "folder " : "") + path + " from the node", annotations);
            }
        }
        String namespace = ns(o);
        if (o.namespace() == null || o.namespace().equals("default")) {
            emit(r, "namespace.default", o.namespace() == null
                    ? "no namespace set: kubectl apply puts it in the context's namespace, usually default"
                    : "runs in the default namespace", annotations);
        }
        String sa = KubeObject.text(spec.get("serviceAccountName"));
        if (sa == null) {
            sa = KubeObject.text(spec.get("serviceAccount"));
        }
        if (sa == null || sa.equals("default")) {
            emit(r, "serviceaccount.default", "runs as service account default of namespace " + namespace, annotations);
        }
        cis(r, pod, annotations);
        JsonNode auto = spec.get("automountServiceAccountToken");
        workloads.add(new Workload(r, namespace, pod.labels(), sa == null ? "default" : sa,
                auto != null && auto.isBoolean() ? auto.booleanValue() : null, annotations));
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static final Map<String, String> PSS_TO_CIS = Map.of(
            "privileged", "CIS-5.2.2", "allowPrivilegeEscalation", "CIS-5.2.6", "runAsNonRoot", "CIS-5.2.7",
            "runAsUser", "CIS-5.2.7", "capabilities_restricted", "CIS-5.2.10", "windowsHostProcess", "CIS-5.2.11",
            "hostPathVolumes", "CIS-5.2.12", "hostPorts", "CIS-5.2.13", "seccompProfile_restricted", "CIS-5.7.2",
            "seccompProfile_baseline", "CIS-5.7.2");

    /** CIS 5.2.x and 5.7.2 from a restricted:latest Pod Security evaluation of the template. */
    private void cis(Resource r, PodTemplate pod, Map<String, String> annotations) {
        Decision d = PodSecurity.evaluate(Level.RESTRICTED, PolicyVersion.LATEST, pod);
        Set<String> done = new HashSet<>();
        for (Violation v : d.violations()) {
            switch (v.check()) {
                case "hostNamespaces" -> {
                    for (String[] ns : new String[][] {{"hostPID", "CIS-5.2.3"}, {"hostIPC", "CIS-5.2.4"}, {"hostNetwork", "CIS-5.2.5"}}) {
                        if (v.detail().contains(ns[0] + "=true")) {
                            emitOnce(done, r, ns[1], ns[0] + "=true", annotations);
                        }
                    }
                }
                case "capabilities_baseline" -> {
                    if (v.detail().contains("\"NET_RAW\"")) {
                        emitOnce(done, r, "CIS-5.2.8", v.detail(), annotations);
                    }
                    emitOnce(done, r, "CIS-5.2.9", v.detail(), annotations);
                }
                default -> {
                    String id = PSS_TO_CIS.get(v.check());
                    if (id != null) {
                        emitOnce(done, r, id, v.message(), annotations);
                    }
                }
            }
        }
        for (JsonNode c : pod.containers()) {
            for (JsonNode a : c.path("securityContext").path("capabilities").path("add")) {
                String cap = KubeObject.text(a);
                if ("NET_RAW".equals(cap)) {
                    emitOnce(done, r, "CIS-5.2.8", "container \"" + KubeObject.text(c.get("name")) + "\" adds NET_RAW", annotations);
                } else if (cap != null && !cap.equals("NET_BIND_SERVICE")) {
                    emitOnce(done, r, "CIS-5.2.9", "container \"" + KubeObject.text(c.get("name")) + "\" adds " + cap, annotations);
                }
            }
        }
    }

    private void emitOnce(Set<String> done, Resource r, String check, String message, Map<String, String> annotations) {
        if (done.add(check)) {
            emit(r, check, message, annotations);
        }
    }

    private void service(KubeObject o) {
        String type = KubeObject.text(o.json().path("spec").get("type"));
        if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
            StringBuilder ports = new StringBuilder();
            for (JsonNode p : o.json().path("spec").path("ports")) {
                ports.append(ports.isEmpty() ? "" : ", ").append(p.path("port").asInt(0));
                if (p.has("nodePort")) {
                    ports.append(" (node port ").append(p.path("nodePort").asInt(0)).append(')');
                }
            }
            boolean restricted = o.json().path("spec").path("loadBalancerSourceRanges").size() > 0;
            emit(o.resource(), "service.exposed", "type " + type + " exposes ports " + ports
                    + (type.equals("LoadBalancer") && !restricted ? " to any source (no loadBalancerSourceRanges)" : ""),
                    o.annotations());
        }
    }

    /** Runs the checks that need every object; call once after the source is exhausted. */
    public void finish() {
        Set<String> namespacesWithPolicies = new HashSet<>();
        for (Policy p : policies) {
            namespacesWithPolicies.add(p.namespace());
        }
        Set<String> workloadNamespaces = new TreeSet<>();
        for (Workload w : workloads) {
            workloadNamespaces.add(w.namespace());
            if (policies.stream().noneMatch(p -> p.namespace().equals(w.namespace()) && Selectors.matches(p.podSelector(), w.labels()))) {
                emit(w.resource(), "network-policy.none", namespacesWithPolicies.contains(w.namespace())
                        ? "none of the NetworkPolicies of namespace " + w.namespace() + " selects the pods' labels " + w.labels()
                        : "namespace " + w.namespace() + " has no NetworkPolicy: the pods accept traffic from anywhere", w.annotations());
            }
            automount(w);
        }
        Set<String> all = new TreeSet<>(workloadNamespaces);
        all.addAll(namespaces.keySet());
        for (String ns : all) {
            Resource r = namespaces.getOrDefault(ns, new Resource("Namespace", null, ns, null));
            if (!namespacesWithPolicies.contains(ns) && !ns.startsWith("kube-")) {
                emit(r, "network-policy.namespace", "namespace " + ns + " has no NetworkPolicy", Map.of());
            }
            Map<String, String> labels = namespaceLabels.get(ns);
            if (labels != null && !labels.containsKey("pod-security.kubernetes.io/enforce")) {
                emit(r, "namespace.pod-security", "namespace " + ns + " has no pod-security.kubernetes.io/enforce label", Map.of());
            }
        }
    }

    private void automount(Workload w) {
        Boolean sa = serviceAccountAutomount.get(w.namespace() + "/" + w.serviceAccount());
        boolean mounted = w.automount() != null ? w.automount() : sa == null || sa;
        if (!mounted) {
            return;
        }
        boolean bound = boundSubjects.contains(w.namespace() + "/" + w.serviceAccount())
                || boundSubjects.contains("group:system:serviceaccounts")
                || boundSubjects.contains("group:system:serviceaccounts:" + w.namespace());
        if (bound) {
            return;
        }
        String why = sawBindings
                ? "no RoleBinding or ClusterRoleBinding grants service account " + w.namespace() + "/" + w.serviceAccount()
                        + " anything, so the workload seems not to use the API (heuristic)"
                : "the input has no RoleBindings or ClusterRoleBindings, so nothing shows that service account "
                        + w.namespace() + "/" + w.serviceAccount() + " uses the API (heuristic)";
        emit(w.resource(), "serviceaccount.token", "the service account token is mounted ("
                + (w.automount() != null ? "pod sets automountServiceAccountToken: true" : sa == null
                        ? "automountServiceAccountToken unset on pod and service account" : "service account sets automountServiceAccountToken: true")
                + "); " + why, w.annotations());
    }

    private void emit(Resource r, String check, String message, Map<String, String> annotations) {
        Rule rule = WorkloadChecks.RULES.get(check);
        List<String> references = rule.tags().stream().filter(t -> !t.matches("T\\d{4}(\\.\\d{3})?")).toList();
        List<String> mitre = rule.tags().stream().filter(t -> t.matches("T\\d{4}(\\.\\d{3})?")).toList();
        out.accept(waivers.apply(new Finding(check, rule.title(), rule.severity(), r, message, rule.help(), references, mitre, null),
                annotations));
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        anomalies.add(anomaly);
    }

    public Summary summary() {
        return new Summary(objects, anomalies.count(), anomalies.messages(), workloads.size() + " workloads, " + policies.size() + " network policies");
    }
}
