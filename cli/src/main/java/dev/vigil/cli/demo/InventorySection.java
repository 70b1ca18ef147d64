package dev.vigil.cli.demo;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cluster inventory, read back from the lab's API server: namespaces, workloads with their
 * services, and pods with IPs, owners, container ids and images pinned by digest.
 */
final class InventorySection implements DemoSection {

    @Override
    public String title() {
        return "Inventory (from the Kubernetes API)";
    }

    @Override
    public void render(Context context, PrintWriter out) {
        var api = context.api();
        List<String> namespaces = api.namespaces().list().getItems().stream()
                .map(n -> n.getMetadata().getName()).sorted().toList();
        out.println("namespaces: " + String.join(", ", namespaces));
        out.println();

        List<Service> services = api.services().inAnyNamespace().list().getItems();
        out.printf("%-12s %-12s %-10s %-6s %s%n", "NAMESPACE", "KIND", "WORKLOAD", "READY", "SERVICE");
        for (Deployment d : sorted(api.apps().deployments().inAnyNamespace().list().getItems())) {
            out.printf("%-12s %-12s %-10s %-6s %s%n", d.getMetadata().getNamespace(), "Deployment", d.getMetadata().getName(),
                    ready(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas()), service(services, d.getMetadata().getNamespace(),
                            d.getSpec().getSelector().getMatchLabels()));
        }
        for (StatefulSet s : sorted(api.apps().statefulSets().inAnyNamespace().list().getItems())) {
            out.printf("%-12s %-12s %-10s %-6s %s%n", s.getMetadata().getNamespace(), "StatefulSet", s.getMetadata().getName(),
                    ready(s.getStatus().getReadyReplicas(), s.getSpec().getReplicas()), service(services, s.getMetadata().getNamespace(),
                            s.getSpec().getSelector().getMatchLabels()));
        }
        out.println();

        out.printf("%-12s %-28s %-12s %-11s %s%n", "NAMESPACE", "POD", "IP", "NODE", "OWNER");
        for (Pod p : sorted(api.pods().inAnyNamespace().list().getItems())) {
            String owner = p.getMetadata().getOwnerReferences().stream().findFirst()
                    .map(o -> o.getKind() + "/" + o.getName()).orElse("-");
            out.printf("%-12s %-28s %-12s %-11s %s%n", p.getMetadata().getNamespace(), p.getMetadata().getName(),
                    p.getStatus().getPodIP(), p.getSpec().getNodeName(), owner);
            for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
                String id = c.getContainerID().replace("containerd://", "");
                out.printf("    %-9s %s  %s%n", c.getName(), id.substring(0, Math.min(12, id.length())), c.getImageID());
            }
        }
    }

    private static String ready(Integer ready, Integer wanted) {
        return (ready == null ? 0 : ready) + "/" + (wanted == null ? 1 : wanted);
    }

    private static String service(List<Service> services, String namespace, java.util.Map<String, String> labels) {
        return services.stream()
                .filter(s -> s.getMetadata().getNamespace().equals(namespace) && s.getSpec().getSelector() != null
                        && labels.entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                .map(s -> s.getMetadata().getName() + " " + s.getSpec().getClusterIP() + ":" + s.getSpec().getPorts().stream()
                        .map(p -> p.getPort() + "/" + p.getProtocol()).collect(Collectors.joining(",")))
                .collect(Collectors.joining("; "));
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> sorted(List<T> items) {
        return items.stream().sorted(Comparator.comparing((T t) -> t.getMetadata().getNamespace() == null ? "" : t.getMetadata().getNamespace())
                .thenComparing(t -> t.getMetadata().getName())).toList();
    }
}
