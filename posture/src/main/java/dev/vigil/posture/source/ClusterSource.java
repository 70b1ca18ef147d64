package dev.vigil.posture.source;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Objects of a live cluster, read through fabric8 (JDK HTTP client) from a kubeconfig or the
 * in-cluster service account. Each kind is listed across all namespaces in pages of
 * {@link #PAGE_SIZE} with {@code limit}/{@code continue}, so a huge cluster streams page by page.
 * Kinds are read in the order given; put {@link ResourceKind#NAMESPACE} first when namespace labels
 * matter to what follows.
 */
public final class ClusterSource implements ObjectSource {

    /** Objects per list call ({@code limit}); the API server hands a continue token for the rest. */
    public static final int PAGE_SIZE = 500;

    private final KubernetesClient client;
    private final List<ResourceKind> kinds;
    private final String where;

    public ClusterSource(KubernetesClient client, List<ResourceKind> kinds) {
        this.client = client;
        this.kinds = List.copyOf(kinds);
        this.where = client.getMasterUrl() == null ? "cluster" : "cluster " + client.getMasterUrl();
    }

    /**
     * A client for {@code kubeconfig} (context {@code context}, or its current one), or, when
     * {@code kubeconfig} is null, the standard lookup: {@code KUBECONFIG}, {@code ~/.kube/config},
     * then the in-cluster service account.
     */
    public static KubernetesClient connect(String kubeconfig, String context) {
        Config config = kubeconfig == null
                ? Config.autoConfigure(context)
                : Config.fromKubeconfig(context, new File(kubeconfig));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void read(ObjectSink sink) throws IOException {
        for (ResourceKind kind : kinds) {
            readKind(kind, sink);
        }
    }

    private void readKind(ResourceKind kind, ObjectSink sink) throws IOException {
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
                .withGroup(kind.group()).withVersion(kind.version()).withKind(kind.kind())
                .withPlural(kind.plural()).withNamespaced(kind.namespaced()).build();
        String next = null;
        do {
            ListOptions options = new ListOptionsBuilder().withLimit((long) PAGE_SIZE).withContinue(next).build();
            GenericKubernetesResourceList page;
            try {
                page = kind.namespaced()
                        ? client.genericKubernetesResources(context).inAnyNamespace().list(options)
                        : client.genericKubernetesResources(context).list(options);
            } catch (KubernetesClientException e) {
                throw failure(kind, e);
            }
            for (GenericKubernetesResource item : page.getItems()) {
                ObjectNode json = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
                if (!json.has("kind")) {
                    json.put("kind", kind.kind());
                }
                if (!json.has("apiVersion")) {
                    json.put("apiVersion", kind.apiVersion());
                }
                KubeObject.emit(json, Origin.CLUSTER, sink);
            }
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }

    private IOException failure(ResourceKind kind, KubernetesClientException e) {
        String scope = kind.namespaced() ? " --all-namespaces" : "";
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new IOException("not allowed to list " + kind.plural() + " in " + where + " (HTTP " + e.getCode()
                    + "): grant list on " + kind.plural() + " to your user; check with: kubectl auth can-i list "
                    + kind.plural() + scope, e);
        }
        return new IOException("listing " + kind.plural() + " in " + where + " failed: " + e.getMessage()
                + "; check the connection with: kubectl get " + kind.plural() + scope, e);
    }
}
