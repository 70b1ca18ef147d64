package dev.vigil.cli.net;

import dev.vigil.cli.UserError;
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

/**
 * The identity resolver for live network records, the one place capture commands get it from:
 * without {@code --kubeconfig}, {@link IdentityResolver#NONE}; with it, the kube module's resolver over
 * an inventory of the identity kinds, synced before capture starts. Closing stops the inventory and
 * the connection. Shared by the capture commands and {@code vigil host watch}.
 */
public final class Identities implements AutoCloseable {

    /** How long the initial inventory sync may take. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final IdentityResolver resolver;
    private final ClusterInventory inventory;
    private final KubeConnection connection;

    private Identities(IdentityResolver resolver, ClusterInventory inventory, KubeConnection connection) {
        this.resolver = resolver;
        this.inventory = inventory;
        this.connection = connection;
    }

    /** The resolver for {@code kubeconfig}, or {@link IdentityResolver#NONE} when it is null. */
    public static Identities open(Path kubeconfig) {
        if (kubeconfig == null) {
            return new Identities(IdentityResolver.NONE, null, null);
        }
        KubeConnection connection;
        try {
            connection = KubeClients.connect(kubeconfig, null);
        } catch (KubeAccessException e) {
            throw new UserError(e.getMessage());
        }
        ClusterInventory inventory = new ClusterInventory(connection.client(), Kind.IDENTITY);
        try {
            KubeIdentityResolver resolver = KubeIdentityResolver.attach(inventory);
            inventory.start().waitUntilSynced(SYNC_TIMEOUT);
            return new Identities(resolver, inventory, connection);
        } catch (InventorySyncException | KubeAccessException e) {
            inventory.close();
            connection.close();
            throw new UserError(e.getMessage());
        }
    }

    public IdentityResolver resolver() {
        return resolver;
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
