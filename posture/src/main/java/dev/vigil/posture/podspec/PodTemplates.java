package dev.vigil.posture.podspec;

import dev.vigil.posture.report.Resource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pod specs in a cluster: Pods and the pod templates of Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, ReplicationControllers, Jobs and CronJobs, so audits that care about what runs
 * (service accounts, mounts, images) see workloads whatever their kind.
 */
public final class PodTemplates {

    private PodTemplates() {
    }

    /**
     * A pod spec and the object holding it.
     *
     * @param pod        the Pod itself (with its status), or null for a template
     * @param controller the controlling owner as {@code Kind/namespace/name}, or null
     * @param file       the input file the object was read from, or null
     * @param line       its line in that file, or 0
     */
    public record Workload(String kind, String namespace, String name, Map<String, String> labels,
                           PodSpec spec, Pod pod, String controller, String file, int line) {

        /** The report resource of the object holding the spec. */
        public Resource resource() {
            return new Resource(kind, namespace, name, file, line);
        }

        /** {@code Kind/namespace/name}, the key owners are referenced by. */
        public String key() {
            return kind + "/" + namespace + "/" + name;
        }

        /** The service account the pods run as ({@code default} when unset). */
        public String serviceAccount() {
            String sa = spec.getServiceAccountName();
            if (sa == null || sa.isEmpty()) {
                sa = spec.getServiceAccount();
            }
            return sa == null || sa.isEmpty() ? "default" : sa;
        }
    }

    /** The workload {@code o} defines, if it holds a pod spec. */
    public static Optional<Workload> of(HasMetadata o) {
        return of(o, null, 0);
    }

    /** As {@link #of(HasMetadata)}, remembering where {@code o} was read from. */
    public static Optional<Workload> of(HasMetadata o, String file, int line) {
        PodTemplateSpec t = switch (o) {
            case Pod p -> {
                if (p.getSpec() == null) {
                    yield null;
                }
                yield new PodTemplateSpec(p.getMetadata(), p.getSpec());
            }
            case Deployment d -> d.getSpec() == null ? null : d.getSpec().getTemplate();
            case StatefulSet s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case DaemonSet s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case ReplicaSet s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case ReplicationController s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case Job j -> j.getSpec() == null ? null : j.getSpec().getTemplate();
            case CronJob c -> c.getSpec() == null || c.getSpec().getJobTemplate() == null
                    || c.getSpec().getJobTemplate().getSpec() == null ? null
                    : c.getSpec().getJobTemplate().getSpec().getTemplate();
            default -> null;
        };
        if (t == null || t.getSpec() == null || o.getMetadata() == null) {
            return Optional.empty();
        }
        String ns = o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
        Map<String, String> labels = t.getMetadata() == null || t.getMetadata().getLabels() == null
                ? Map.of() : Map.copyOf(t.getMetadata().getLabels());
        String controller = null;
        if (o.getMetadata().getOwnerReferences() != null) {
            for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
                if (Boolean.TRUE.equals(ref.getController())) {
                    controller = ref.getKind() + "/" + ns + "/" + ref.getName();
                }
            }
        }
        return Optional.of(new Workload(o.getKind(), ns, o.getMetadata().getName(), labels, t.getSpec(),
                o instanceof Pod p ? p : null, controller, file, line));
    }

    /**
     * The workloads to report on: those whose controlling owner is not itself among {@code all}, so a
     * Deployment is reported once rather than again for each ReplicaSet and Pod it controls.
     */
    public static List<Workload> topLevel(List<Workload> all) {
        Set<String> keys = new HashSet<>();
        all.forEach(w -> keys.add(w.key()));
        List<Workload> out = new ArrayList<>();
        for (Workload w : all) {
            if (w.controller() == null || !keys.contains(w.controller())) {
                out.add(w);
            }
        }
        return out;
    }
}
