package dev.vigil.lab.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents kube-apiserver serves ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}, {@code /version}) for the resources the lab
 * stores, so kubectl and other discovery-driven clients can map resource names to paths.
 */
final class Discovery {

    /** One served resource. */
    record Resource(String group, String version, String name, String singular, String kind, boolean namespaced,
                    List<String> shortNames) {
        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    static final List<Resource> RESOURCES = List.of(
            new Resource("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns")),
            new Resource("", "v1", "nodes", "node", "Node", false, List.of("no")),
            new Resource("", "v1", "pods", "pod", "Pod", true, List.of("po")),
            new Resource("", "v1", "services", "service", "Service", true, List.of("svc")),
            new Resource("", "v1", "endpoints", "endpoints", "Endpoints", true, List.of("ep")),
            new Resource("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa")),
            new Resource("", "v1", "secrets", "secret", "Secret", true, List.of()),
            new Resource("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm")),
            new Resource("", "v1", "events", "event", "Event", true, List.of("ev")),
            new Resource("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy")),
            new Resource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs")),
            new Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, List.of("sts")),
            new Resource("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds")),
            new Resource("batch", "v1", "jobs", "job", "Job", true, List.of()),
            new Resource("batch", "v1", "cronjobs", "cronjob", "CronJob", true, List.of("cj")),
            new Resource("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true, List.of()),
            new Resource("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, List.of("netpol")),
            new Resource("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, List.of()),
            new Resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false,
                    List.of()));

    private Discovery() {
    }

    static Map<String, Object> version() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("major", "1");
        v.put("minor", "32");
        v.put("gitVersion", "v1.32.0-vigil-lab");
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2024-01-01T00:00:00Z");
        v.put("goVersion", "go1.23");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    static Map<String, Object> coreVersions() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "APIVersions");
        m.put("versions", List.of("v1"));
        m.put("serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1:6443")));
        return m;
    }

    static Map<String, Object> groups() {
        Map<String, Map<String, Object>> byGroup = new LinkedHashMap<>();
        for (Resource r : RESOURCES) {
            if (r.group().isEmpty() || byGroup.containsKey(r.group())) {
                continue;
            }
            Map<String, Object> gv = Map.of("groupVersion", r.groupVersion(), "version", r.version());
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", r.group());
            g.put("versions", List.of(gv));
            g.put("preferredVersion", gv);
            byGroup.put(r.group(), g);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "APIGroupList");
        m.put("apiVersion", "v1");
        m.put("groups", new ArrayList<>(byGroup.values()));
        return m;
    }

    /** The APIResourceList of a group version, or null when the lab serves no such group version. */
    static Map<String, Object> resources(String groupVersion) {
        List<Object> list = new ArrayList<>();
        for (Resource r : RESOURCES) {
            if (r.groupVersion().equals(groupVersion)) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", r.name());
                e.put("singularName", r.singular());
                e.put("namespaced", r.namespaced());
                e.put("kind", r.kind());
                e.put("verbs", VERBS);
                if (!r.shortNames().isEmpty()) {
                    e.put("shortNames", r.shortNames());
                }
                list.add(e);
            }
        }
        if (list.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "APIResourceList");
        m.put("apiVersion", "v1");
        m.put("groupVersion", groupVersion);
        m.put("resources", list);
        return m;
    }
}
