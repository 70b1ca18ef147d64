package dev.vigil.agent.cluster;

import dev.vigil.kube.inventory.InventoryChange;
import dev.vigil.kube.inventory.InventoryListener;
import dev.vigil.kube.inventory.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels of namespaces and pods, kept current from the inventory's changes, for the rule fields
 * {@code k8s.ns.label[…]}, {@code k8s.pod.label[…]}, {@code peer.k8s.ns.label[…]} and the encryption
 * policy label ({@code vigil.dev/encryption: required}). Reads are lock-free map lookups that return
 * the same immutable map until the object changes.
 */
public final class Labels implements InventoryListener {

    private final Map<String, Map<String, String>> namespaces = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Map<String, String>>> pods = new ConcurrentHashMap<>();

    @Override
    public void onChange(InventoryChange change) {
        HasMetadata o = change.object();
        String name = o.getMetadata().getName();
        boolean gone = change.type() == InventoryChange.Type.DELETED;
        Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(o.getMetadata().getLabels());
        if (change.kind() == Kind.NAMESPACE) {
            if (gone) {
                namespaces.remove(name);
            } else {
                namespaces.put(name, labels);
            }
        } else if (change.kind() == Kind.POD) {
            String ns = o.getMetadata().getNamespace();
            if (gone) {
                Map<String, Map<String, String>> inNs = pods.get(ns);
                if (inNs != null) {
                    inNs.remove(name);
                }
            } else {
                pods.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).put(name, labels);
            }
        }
    }

    /** Labels of namespace {@code name}, or null when it is not known. */
    public Map<String, String> namespace(String name) {
        return name == null ? null : namespaces.get(name);
    }

    /** Labels of pod {@code namespace/name}, or null when it is not known. */
    public Map<String, String> pod(String namespace, String name) {
        if (namespace == null || name == null) {
            return null;
        }
        Map<String, Map<String, String>> inNs = pods.get(namespace);
        return inNs == null ? null : inNs.get(name);
    }
}
