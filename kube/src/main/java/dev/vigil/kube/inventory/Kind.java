package dev.vigil.kube.inventory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import java.util.List;
import java.util.function.Function;

/**
 * A resource type the inventory can watch, with its Java type, so lookups are typed:
 * {@code inventory.get(Kind.POD, "shop", "api-5d9f-x")} returns a {@code Pod}. The constants are the
 * complete set; {@link #ALL} lists them in a stable order.
 */
public final class Kind<T extends HasMetadata> {

    public static final Kind<Pod> POD =
            new Kind<>("Pod", "pods", "", "v1", true, c -> c.pods().inAnyNamespace());
    public static final Kind<Service> SERVICE =
            new Kind<>("Service", "services", "", "v1", true, c -> c.services().inAnyNamespace());
    public static final Kind<EndpointSlice> ENDPOINT_SLICE = new Kind<>("EndpointSlice", "endpointslices",
            "discovery.k8s.io", "v1", true, c -> c.discovery().v1().endpointSlices().inAnyNamespace());
    public static final Kind<Node> NODE = new Kind<>("Node", "nodes", "", "v1", false, KubernetesClient::nodes);
    public static final Kind<Namespace> NAMESPACE =
            new Kind<>("Namespace", "namespaces", "", "v1", false, KubernetesClient::namespaces);
    public static final Kind<ReplicaSet> REPLICA_SET = new Kind<>("ReplicaSet", "replicasets", "apps", "v1", true,
            c -> c.apps().replicaSets().inAnyNamespace());
    public static final Kind<Deployment> DEPLOYMENT = new Kind<>("Deployment", "deployments", "apps", "v1", true,
            c -> c.apps().deployments().inAnyNamespace());
    public static final Kind<StatefulSet> STATEFUL_SET = new Kind<>("StatefulSet", "statefulsets", "apps", "v1",
            true, c -> c.apps().statefulSets().inAnyNamespace());
    public static final Kind<DaemonSet> DAEMON_SET = new Kind<>("DaemonSet", "daemonsets", "apps", "v1", true,
            c -> c.apps().daemonSets().inAnyNamespace());
    public static final Kind<Job> JOB =
            new Kind<>("Job", "jobs", "batch", "v1", true, c -> c.batch().v1().jobs().inAnyNamespace());
    public static final Kind<CronJob> CRON_JOB =
            new Kind<>("CronJob", "cronjobs", "batch", "v1", true, c -> c.batch().v1().cronjobs().inAnyNamespace());
    public static final Kind<ServiceAccount> SERVICE_ACCOUNT = new Kind<>("ServiceAccount", "serviceaccounts",
            "", "v1", true, c -> c.serviceAccounts().inAnyNamespace());
    public static final Kind<Role> ROLE = new Kind<>("Role", "roles", "rbac.authorization.k8s.io", "v1", true,
            c -> c.rbac().roles().inAnyNamespace());
    public static final Kind<ClusterRole> CLUSTER_ROLE = new Kind<>("ClusterRole", "clusterroles",
            "rbac.authorization.k8s.io", "v1", false, c -> c.rbac().clusterRoles());
    public static final Kind<RoleBinding> ROLE_BINDING = new Kind<>("RoleBinding", "rolebindings",
            "rbac.authorization.k8s.io", "v1", true, c -> c.rbac().roleBindings().inAnyNamespace());
    public static final Kind<ClusterRoleBinding> CLUSTER_ROLE_BINDING = new Kind<>("ClusterRoleBinding",
            "clusterrolebindings", "rbac.authorization.k8s.io", "v1", false, c -> c.rbac().clusterRoleBindings());

    /** The controllers that own pods, directly or through another controller. */
    public static final List<Kind<?>> OWNERS = List.of(REPLICA_SET, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB,
            CRON_JOB);

    /** What identity resolution needs: pods, services, nodes and the owners. */
    public static final List<Kind<?>> IDENTITY = List.of(POD, SERVICE, NODE, REPLICA_SET, DEPLOYMENT, STATEFUL_SET,
            DAEMON_SET, JOB, CRON_JOB);

    /** RBAC objects and the service accounts they bind. */
    public static final List<Kind<?>> RBAC = List.of(SERVICE_ACCOUNT, ROLE, CLUSTER_ROLE, ROLE_BINDING,
            CLUSTER_ROLE_BINDING);

    /** Every kind. */
    public static final List<Kind<?>> ALL = List.of(POD, SERVICE, ENDPOINT_SLICE, NODE, NAMESPACE, REPLICA_SET,
            DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, CRON_JOB, SERVICE_ACCOUNT, ROLE, CLUSTER_ROLE, ROLE_BINDING,
            CLUSTER_ROLE_BINDING);

    private final String name;
    private final String resource;
    private final String group;
    private final String version;
    private final boolean namespaced;
    private final Function<KubernetesClient, Informable<T>> source;

    private Kind(String name, String resource, String group, String version, boolean namespaced,
            Function<KubernetesClient, Informable<T>> source) {
        this.name = name;
        this.resource = resource;
        this.group = group;
        this.version = version;
        this.namespaced = namespaced;
        this.source = source;
    }

    /** The kind with this Kubernetes kind name ({@code ReplicaSet}), or null. */
    public static Kind<?> named(String kindName) {
        for (Kind<?> k : ALL) {
            if (k.name.equals(kindName)) {
                return k;
            }
        }
        return null;
    }

    /** The Kubernetes kind name, e.g. {@code ReplicaSet}. */
    public String kindName() {
        return name;
    }

    /** The resource as RBAC rules and kubectl name it: {@code pods}, {@code replicasets.apps}. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /** {@code v1} or {@code group/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean namespaced() {
        return namespaced;
    }

    Informable<T> informable(KubernetesClient client) {
        return source.apply(client);
    }

    @Override
    public String toString() {
        return qualifiedResource();
    }
}
