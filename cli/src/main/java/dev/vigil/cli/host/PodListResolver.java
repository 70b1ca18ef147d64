package dev.vigil.cli.host;

import dev.vigil.cli.UserError;
import dev.vigil.model.identity.ContainerIdentity;
import dev.vigil.model.identity.Endpoint;
import dev.vigil.model.identity.IdentityResolver;
import dev.vigil.model.identity.WorkloadRef;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Container ids → pods for {@code vigil host watch --kubeconfig}, from the pods' container statuses
 * ({@code containerd://<id>}, {@code cri-o://}, {@code docker://}) listed from the API server, and
 * listed again in the background when an unknown id is asked for (at most every {@link #REFRESH_MILLIS}),
 * so that the sensors never wait on the network: the first events of a brand-new pod may carry only
 * the container id. Addresses are
 * not resolved (the host sensor does not need them). The root owner is the pod's controller as named
 * by its owner reference, or the pod itself.
 */
final class PodListResolver implements IdentityResolver {

    /** Shortest time between two listings. */
    static final long REFRESH_MILLIS = 1000;

    private final KubernetesClient client;
    private final Map<String, ContainerIdentity> byId = new ConcurrentHashMap<>();
    private volatile long listedAt;
    private final java.util.concurrent.atomic.AtomicBoolean refreshing = new java.util.concurrent.atomic.AtomicBoolean();

    private PodListResolver(KubernetesClient client) {
        this.client = client;
    }

    static PodListResolver connect(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            PodListResolver r = new PodListResolver(new KubernetesClientBuilder().withConfig(config).build());
            r.list();
            return r;
        } catch (IOException | RuntimeException e) {
            throw new UserError("--kubeconfig " + kubeconfig + ": cannot list pods (" + e.getMessage()
                    + "); check that the API server in it is reachable and the user may list pods");
        }
    }

    private synchronized void list() {
        listedAt = System.currentTimeMillis();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            List<ContainerStatus> statuses = new ArrayList<>();
            if (pod.getStatus() != null) {
                if (pod.getStatus().getContainerStatuses() != null) {
                    statuses.addAll(pod.getStatus().getContainerStatuses());
                }
                if (pod.getStatus().getInitContainerStatuses() != null) {
                    statuses.addAll(pod.getStatus().getInitContainerStatuses());
                }
            }
            var meta = pod.getMetadata();
            WorkloadRef owner = new WorkloadRef(meta.getNamespace(), "Pod", meta.getName());
            for (OwnerReference ref : meta.getOwnerReferences() == null ? List.<OwnerReference>of() : meta.getOwnerReferences()) {
                if (Boolean.TRUE.equals(ref.getController())) {
                    owner = new WorkloadRef(meta.getNamespace(), ref.getKind(), ref.getName());
                }
            }
            for (ContainerStatus s : statuses) {
                String uri = s.getContainerID();
                if (uri == null || !uri.contains("://")) {
                    continue;
                }
                String runtime = uri.substring(0, uri.indexOf("://"));
                String id = uri.substring(uri.indexOf("://") + 3);
                String digest = s.getImageID() == null ? null
                        : s.getImageID().contains("sha256:") ? s.getImageID().substring(s.getImageID().indexOf("sha256:")) : null;
                byId.put(id, new ContainerIdentity(id, runtime, meta.getNamespace(), meta.getName(), meta.getUid(),
                        s.getName(), s.getImage(), digest, owner));
            }
        }
    }

    @Override
    public Endpoint resolve(String ip, Instant at) {
        return new Endpoint.External(ip, null);
    }

    @Override
    public Optional<ContainerIdentity> container(String containerId) {
        String id = containerId.contains("://") ? containerId.substring(containerId.indexOf("://") + 3) : containerId;
        ContainerIdentity c = byId.get(id);
        if (c == null && System.currentTimeMillis() - listedAt >= REFRESH_MILLIS && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("vigil-pod-list").start(() -> {
                try {
                    list();
                } catch (RuntimeException e) {
                    listedAt = System.currentTimeMillis();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return Optional.ofNullable(c);
    }
}
