package dev.vigil.cli.audit;

import dev.vigil.posture.report.Summary;
import dev.vigil.posture.source.Anomalies;
import dev.vigil.posture.source.Anomaly;
import dev.vigil.posture.source.KubeObject;
import dev.vigil.posture.source.ObjectSink;
import dev.vigil.posture.source.ObjectSource;
import dev.vigil.posture.source.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Binds the objects a posture source streams ({@link KubeObject}, a JSON tree) to the fabric8 model
 * classes the RBAC, attack-path and image engines work on. Objects of other kinds are skipped
 * unbound; an object that does not bind (a field of the wrong type) becomes an anomaly.
 */
final class FabricObjects {

    static final ResourceKind INGRESS = new ResourceKind("networking.k8s.io", "v1", "Ingress", "ingresses", true);

    static final List<ResourceKind> RBAC_KINDS = List.of(ResourceKind.CLUSTER_ROLE, ResourceKind.CLUSTER_ROLE_BINDING,
            ResourceKind.ROLE, ResourceKind.ROLE_BINDING);

    static final List<ResourceKind> WORKLOAD_KINDS = List.of(ResourceKind.POD, ResourceKind.DEPLOYMENT,
            ResourceKind.STATEFUL_SET, ResourceKind.DAEMON_SET, ResourceKind.REPLICA_SET,
            ResourceKind.REPLICATION_CONTROLLER, ResourceKind.JOB, ResourceKind.CRON_JOB);

    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("ClusterRole", ClusterRole.class), Map.entry("ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("Role", Role.class), Map.entry("RoleBinding", RoleBinding.class),
            Map.entry("Namespace", Namespace.class), Map.entry("ServiceAccount", ServiceAccount.class),
            Map.entry("Secret", Secret.class), Map.entry("Service", Service.class), Map.entry("Ingress", Ingress.class),
            Map.entry("Pod", Pod.class), Map.entry("Deployment", Deployment.class),
            Map.entry("StatefulSet", StatefulSet.class), Map.entry("DaemonSet", DaemonSet.class),
            Map.entry("ReplicaSet", ReplicaSet.class), Map.entry("ReplicationController", ReplicationController.class),
            Map.entry("Job", Job.class), Map.entry("CronJob", CronJob.class));

    private FabricObjects() {
    }

    /**
     * Streams {@code source} to {@code sink} as fabric8 objects with the {@link KubeObject} they came
     * from; returns the summary of what was read.
     */
    static Summary read(ObjectSource source, BiConsumer<HasMetadata, KubeObject> sink, PrintWriter err) {
        Anomalies anomalies = new Anomalies();
        long[] objects = new long[1];
        AuditRun.stream(source, new ObjectSink() {
            @Override
            public void object(KubeObject o) {
                objects[0]++;
                Class<? extends HasMetadata> type = TYPES.get(o.kind());
                if (type == null) {
                    return;
                }
                HasMetadata typed;
                try {
                    typed = o.as(type);
                } catch (RuntimeException e) {
                    anomalies.add(new Anomaly(o.origin(), o.kind() + " " + o.name() + " does not bind to the "
                            + o.kind() + " schema: " + e.getMessage().lines().findFirst().orElse("")));
                    return;
                }
                sink.accept(typed, o);
            }

            @Override
            public void anomaly(Anomaly anomaly) {
                anomalies.add(anomaly);
            }
        }, err);
        return new Summary(objects[0], anomalies.count(), anomalies.messages(), null);
    }
}
