package dev.vigil.posture.source;

import java.util.List;

/**
 * A kind of Kubernetes object that {@link ClusterSource} lists: its API group and version, kind,
 * plural resource name and whether it lives in namespaces.
 */
public record ResourceKind(String group, String version, String kind, String plural, boolean namespaced) {

    public static final ResourceKind NAMESPACE = new ResourceKind("", "v1", "Namespace", "namespaces", false);
    public static final ResourceKind NODE = new ResourceKind("", "v1", "Node", "nodes", false);
    public static final ResourceKind POD = new ResourceKind("", "v1", "Pod", "pods", true);
    public static final ResourceKind POD_TEMPLATE = new ResourceKind("", "v1", "PodTemplate", "podtemplates", true);
    public static final ResourceKind REPLICATION_CONTROLLER = new ResourceKind("", "v1", "ReplicationController", "replicationcontrollers", true);
    public static final ResourceKind SERVICE = new ResourceKind("", "v1", "Service", "services", true);
    public static final ResourceKind SERVICE_ACCOUNT = new ResourceKind("", "v1", "ServiceAccount", "serviceaccounts", true);
    public static final ResourceKind SECRET = new ResourceKind("", "v1", "Secret", "secrets", true);
    public static final ResourceKind DEPLOYMENT = new ResourceKind("apps", "v1", "Deployment", "deployments", true);
    public static final ResourceKind STATEFUL_SET = new ResourceKind("apps", "v1", "StatefulSet", "statefulsets", true);
    public static final ResourceKind DAEMON_SET = new ResourceKind("apps", "v1", "DaemonSet", "daemonsets", true);
    public static final ResourceKind REPLICA_SET = new ResourceKind("apps", "v1", "ReplicaSet", "replicasets", true);
    public static final ResourceKind JOB = new ResourceKind("batch", "v1", "Job", "jobs", true);
    public static final ResourceKind CRON_JOB = new ResourceKind("batch", "v1", "CronJob", "cronjobs", true);
    public static final ResourceKind NETWORK_POLICY = new ResourceKind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true);
    public static final ResourceKind ROLE = new ResourceKind("rbac.authorization.k8s.io", "v1", "Role", "roles", true);
    public static final ResourceKind CLUSTER_ROLE = new ResourceKind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);
    public static final ResourceKind ROLE_BINDING = new ResourceKind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true);
    public static final ResourceKind CLUSTER_ROLE_BINDING = new ResourceKind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false);
    public static final ResourceKind INGRESS = new ResourceKind("networking.k8s.io", "v1", "Ingress", "ingresses", true);

    /** Roles and bindings. */
    public static final List<ResourceKind> RBAC = List.of(CLUSTER_ROLE, CLUSTER_ROLE_BINDING, ROLE, ROLE_BINDING);
    /** Pods and every kind that holds a pod template ({@link PodTemplate#WORKLOAD_KINDS}). */
    public static final List<ResourceKind> WORKLOADS = List.of(POD, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET,
            REPLICATION_CONTROLLER, JOB, CRON_JOB, POD_TEMPLATE);

    /** {@code v1} or {@code apps/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
