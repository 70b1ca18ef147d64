package dev.vigil.kube.identity;

import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A pod's root workload, found by following controller owner references through the cached owners.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>No controller reference, or a {@code Node} controller (a static pod's mirror): the pod itself
 *       ({@code Pod/<name>}).</li>
 *   <li>Follow the controller reference while the referenced object is in the cache and has a
 *       controller reference itself: Pod → ReplicaSet → Deployment, Pod → Job → CronJob. The last link
 *       reached is the root, whether or not it is cached itself — a ReplicaSet cached with a
 *       Deployment reference yields the Deployment even before (or after) the Deployment is seen.</li>
 *   <li>A ReplicaSet that is not cached, named {@code <x>-<hash>} where the pod's
 *       {@code pod-template-hash} label is {@code <hash>}: the Deployment {@code <x>} (the Deployment
 *       controller names its ReplicaSets and labels their pods so).</li>
 *   <li>Otherwise the first uncached link: a Job without its CronJob cached stays the Job.</li>
 *   <li>At most {@value #MAX_OWNER_DEPTH} links are followed (owner cycles, malformed chains); the
 *       link reached then is the root.</li>
 * </ol>
 */
final class Workloads {

    /** Owner links followed at most from a pod. */
    static final int MAX_OWNER_DEPTH = 8;

    private static final String POD_TEMPLATE_HASH = "pod-template-hash";

    /** Finds a cached owner by kind, namespace and name; null when not cached or kind not watched. */
    interface OwnerLookup {
        HasMetadata find(String kind, String namespace, String name);
    }

    private final OwnerLookup lookup;
    private volatile long depthExceeded;

    Workloads(OwnerLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The pod's root workload; adds to {@code path} the {@link #linkKey} of every owner looked up, so
     * that a change to any of them can trigger a new walk.
     */
    WorkloadRef rootOf(Pod pod, Collection<String> path) {
        String namespace = pod.getMetadata().getNamespace();
        String podName = pod.getMetadata().getName();
        OwnerReference link = controllerOf(pod);
        if (link == null || "Node".equals(link.getKind())) {
            return new WorkloadRef(namespace, "Pod", podName);
        }
        for (int depth = 1; ; depth++) {
            path.add(linkKey(link.getKind(), namespace, link.getName()));
            HasMetadata owner = lookup.find(link.getKind(), namespace, link.getName());
            if (owner == null) {
                WorkloadRef inferred = inferDeployment(pod, link);
                return inferred != null ? inferred : new WorkloadRef(namespace, link.getKind(), link.getName());
            }
            OwnerReference up = controllerOf(owner);
            if (up == null) {
                return new WorkloadRef(namespace, link.getKind(), link.getName());
            }
            if (depth >= MAX_OWNER_DEPTH) {
                depthExceeded++;
                return new WorkloadRef(namespace, link.getKind(), link.getName());
            }
            link = up;
        }
    }

    /** The key of an owner in walk paths: {@code Kind/namespace/name}. */
    static String linkKey(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    /** Pods whose owner chain was cut at {@link #MAX_OWNER_DEPTH}. */
    long depthExceeded() {
        return depthExceeded;
    }

    private static WorkloadRef inferDeployment(Pod pod, OwnerReference link) {
        if (!"ReplicaSet".equals(link.getKind())) {
            return null;
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        String hash = labels == null ? null : labels.get(POD_TEMPLATE_HASH);
        String name = link.getName();
        if (hash == null || hash.isEmpty() || name.length() <= hash.length() + 1
                || !name.endsWith("-" + hash)) {
            return null;
        }
        return new WorkloadRef(pod.getMetadata().getNamespace(), "Deployment",
                name.substring(0, name.length() - hash.length() - 1));
    }

    static OwnerReference controllerOf(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController()) && ref.getKind() != null && ref.getName() != null) {
                return ref;
            }
        }
        return null;
    }
}
