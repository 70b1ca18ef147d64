package dev.vigil.cli.host;

import dev.vigil.cli.UserError;
import dev.vigil.kube.client.KubeAccessException;
import dev.vigil.kube.client.KubeClients;
import dev.vigil.kube.client.KubeConnection;
import dev.vigil.kube.identity.KubeIdentityResolver;
import dev.vigil.kube.inventory.ClusterInventory;
import dev.vigil.kube.inventory.InventorySyncException;
import dev.vigil.kube.inventory.Kind;
import dev.vigil.model.identity.IdentityResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How container ids are turned into pods for the host commands: nothing without a kubeconfig, else
 * the cluster inventory (informers) and its identity resolution, closed with the command.
 */
final class Identity implements AutoCloseable {

    /** How long the first listing of the cluster may take. */
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final IdentityResolver resolver;
    private final ClusterInventory inventory;
    private final KubeConnection connection;

    private Identity(IdentityResolver resolver, ClusterInventory inventory, KubeConnection connection) {
        this.resolver = resolver;
        this.inventory = inventory;
        this.connection = connection;
    }

    static Identity open(Path kubeconfig) {
        if (kubeconfig == null) {
            return new Identity(IdentityResolver.NONE, null, null);
        }
        if (!Files.isReadable(kubeconfig)) {
            throw new UserError("--kubeconfig: cannot read " + kubeconfig + "; give the path of a readable kubeconfig");
        }
        KubeConnection connection = null;
        ClusterInventory inventory = null;
        try {
            connection = KubeClients.connect(kubeconfig, null);
            inventory = new ClusterInventory(connection.client(), Kind.IDENTITY);
            KubeIdentityResolver resolver = KubeIdentityResolver.attach(inventory);
            inventory.start();
            inventory.waitUntilSynced(SYNC_TIMEOUT);
            return new Identity(resolver, inventory, connection);
        } catch (KubeAccessException | InventorySyncException e) {
            if (inventory != null) {
                inventory.close();
            }
            if (connection != null) {
                connection.close();
            }
            throw new UserError("--kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
    }

    IdentityResolver resolver() {
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
