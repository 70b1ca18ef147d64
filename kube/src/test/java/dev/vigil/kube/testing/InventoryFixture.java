package dev.vigil.kube.testing;

import dev.vigil.kube.identity.HistorySettings;
import dev.vigil.kube.identity.KubeIdentityResolver;
import dev.vigil.kube.inventory.ClusterInventory;
import dev.vigil.kube.inventory.InventoryChange;
import dev.vigil.kube.inventory.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * A mock cluster with an inventory, a resolver attached to it and an {@link EventLog} after the
 * resolver, so {@link #apply} and {@link #delete} return once the resolver has seen the change.
 * Objects applied before {@link #start} arrive in the initial list.
 */
public final class InventoryFixture implements AutoCloseable {

    /** A fixed point in time the tests count from. */
    public static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");

    public final MockCluster cluster;
    public final TestClock clock = new TestClock(BASE);
    public final EventLog log = new EventLog();
    public ClusterInventory inventory;
    public KubeIdentityResolver resolver;

    public InventoryFixture(Path dir) {
        this.cluster = MockCluster.start(dir);
    }

    /** Starts an inventory of every kind with a resolver using default limits. */
    public InventoryFixture start() {
        return start(Kind.ALL, HistorySettings.DEFAULTS);
    }

    public InventoryFixture start(Collection<Kind<?>> kinds, HistorySettings settings) {
        inventory = new ClusterInventory(cluster.client(), kinds);
        resolver = KubeIdentityResolver.attach(inventory, settings, clock);
        inventory.addListener(log);
        inventory.start();
        inventory.waitUntilSynced(Duration.ofSeconds(30));
        return this;
    }

    /** Creates or replaces {@code object}; once started, waits until the resolver has seen this version. */
    public <T extends HasMetadata> T apply(T object) {
        object.getMetadata().setResourceVersion(null);
        T stored = cluster.client().resource(object).createOr(NonDeletingOperation::update);
        if (inventory != null) {
            String rv = stored.getMetadata().getResourceVersion();
            log.await(stored.getKind() + " " + stored.getMetadata().getName() + " at version " + rv,
                    e -> e.name().equals(stored.getMetadata().getName()) && rv.equals(e.resourceVersion()));
        }
        return stored;
    }

    /** Deletes {@code object}; once started, waits until the resolver has seen the deletion. */
    public void delete(HasMetadata object) {
        cluster.client().resource(object).delete();
        if (inventory != null) {
            String name = object.getMetadata().getName();
            log.await("deletion of " + name,
                    e -> e.name().equals(name) && e.type() == InventoryChange.Type.DELETED);
        }
    }

    /** Stops everything; fails when a listener (the resolver) threw on any change. */
    @Override
    public void close() {
        try {
            if (inventory != null) {
                inventory.close();
                if (inventory.listenerFailures() != 0) {
                    throw new AssertionError(inventory.listenerFailures() + " inventory listener calls failed"
                            + " (logged above)");
                }
            }
        } finally {
            cluster.close();
        }
    }
}
