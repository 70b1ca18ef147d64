package dev.vigil.agent.cluster;

import dev.vigil.kube.client.KubeAccessException;
import dev.vigil.kube.client.KubeClients;
import dev.vigil.kube.client.KubeConnection;
import dev.vigil.kube.identity.KubeIdentityResolver;
import dev.vigil.kube.inventory.ClusterInventory;
import dev.vigil.kube.inventory.InventorySyncException;
import dev.vigil.kube.inventory.Kind;
import dev.vigil.model.identity.IdentityResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent knows of the cluster: an inventory of the identity kinds and namespaces (fabric8
 * informers), the identity resolver over it (addresses and container ids → pods, Services, nodes,
 * workloads, as of a time) and the labels of namespaces and pods. {@link #none()} stands for an agent
 * without API access: containers are then named by id only and addresses stay addresses.
 */
public final class Cluster implements AutoCloseable {

    /** How long the initial list of every kind may take. */
    public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** The kinds the agent watches: what identity resolution needs, and namespaces for their labels. */
    public static final List<Kind<?>> KINDS;

    static {
        List<Kind<?>> kinds = new ArrayList<>(Kind.IDENTITY);
        kinds.add(Kind.NAMESPACE);
        KINDS = List.copyOf(kinds);
    }

    private final KubeConnection connection;
    private final ClusterInventory inventory;
    private final IdentityResolver resolver;
    private final Labels labels;

    private Cluster(KubeConnection connection, ClusterInventory inventory, IdentityResolver resolver, Labels labels) {
        this.connection = connection;
        this.inventory = inventory;
        this.resolver = resolver;
        this.labels = labels;
    }

    /** No API server: no identities, no labels. */
    public static Cluster none() {
        return new Cluster(null, null, IdentityResolver.NONE, new Labels());
    }

    /**
     * Connects (the kubeconfig given, else kubectl's search, else the pod's service account), lists and
     * starts watching; returns once everything is listed.
     *
     * @throws KubeAccessException    when the server cannot be reached (the message says what to do)
     * @throws InventorySyncException when a kind cannot be listed (e.g. forbidden; the message names it)
     */
    public static Cluster connect(Path kubeconfig) {
        KubeConnection connection = KubeClients.connect(kubeconfig, null);
        ClusterInventory inventory = new ClusterInventory(connection.client(), KINDS);
        try {
            Labels labels = new Labels();
            inventory.addListener(labels);
            KubeIdentityResolver resolver = KubeIdentityResolver.attach(inventory);
            inventory.start().waitUntilSynced(SYNC_TIMEOUT);
            return new Cluster(connection, inventory, resolver, labels);
        } catch (RuntimeException e) {
            inventory.close();
            connection.close();
            throw e;
        }
    }

    public IdentityResolver resolver() {
        return resolver;
    }

    public Labels labels() {
        return labels;
    }

    /** True when connected to an API server. */
    public boolean connected() {
        return connection != null;
    }

    /** The API server's URL and version, or a note that there is none. */
    public String describe() {
        return connection == null ? "no Kubernetes API (containers named by id only)"
                : connection.serverUrl() + " (Kubernetes " + connection.serverVersion() + ")";
    }

    @Override
    public void close() {
        if (inventory != null) {
            inventory.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
