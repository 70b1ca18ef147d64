package dev.vigil.kube.inventory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's objects as the API server last reported them, kept current by one fabric8 informer
 * per {@link Kind} (list, then watch, relist on expiry).
 *
 * <p>Reads ({@link #list}, {@link #get}) come from the informers' thread-safe caches and never touch
 * the network. Changes go to {@link InventoryListener}s, one at a time in a single order across all
 * kinds, so a listener sees, for example, a ReplicaSet and its pods in the order they arrived. Add
 * listeners before {@link #start()}: they then see every object from the initial list as
 * {@code ADDED}. {@link #waitUntilSynced(Duration)} returns once every informer has its initial list
 * and an open watch, and every object of the list has reached the listeners, or explains which
 * resource failed and what to do.
 *
 * <p>A resource the server refuses (401, 403, 404) fails the sync at once; timeouts and lost
 * connections are retried with the informer's backoff and reported while the sync waits.
 *
 * <p>The inventory does not own the client; {@link #close()} stops the informers only.
 */
public final class ClusterInventory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterInventory.class);
    private static final long SYNC_POLL_MILLIS = 10;
    private static final long STOP_WAIT_MILLIS = 5_000;

    private enum State { NEW, STARTED, CLOSED }

    private final KubernetesClient client;
    private final Map<Kind<?>, Watched<?>> watched = new LinkedHashMap<>();
    private final List<InventoryListener> listeners = new CopyOnWriteArrayList<>();
    private final Object deliveryLock = new Object();
    private final AtomicLong listenerFailures = new AtomicLong();
    private volatile State state = State.NEW;

    /** An inventory of {@code kinds} (see {@link Kind#ALL}, {@link Kind#IDENTITY}); call {@link #start()}. */
    public ClusterInventory(KubernetesClient client, Collection<Kind<?>> kinds) {
        this.client = client;
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("an inventory needs at least one kind to watch, e.g. Kind.ALL");
        }
        for (Kind<?> kind : Kind.ALL) {
            if (kinds.contains(kind)) {
                watched.put(kind, new Watched<>(kind));
            }
        }
    }

    /** Registers a listener; only before {@link #start()}, so that it sees the initial list. */
    public void addListener(InventoryListener listener) {
        if (state != State.NEW) {
            throw new IllegalStateException("add inventory listeners before start() (state " + state
                    + "): a late listener would miss the initial list");
        }
        listeners.add(listener);
    }

    /** Starts every informer; returns at once. */
    public synchronized ClusterInventory start() {
        if (state != State.NEW) {
            throw new IllegalStateException("inventory already " + state.name().toLowerCase());
        }
        for (Watched<?> w : watched.values()) {
            w.create();
        }
        state = State.STARTED;
        for (Watched<?> w : watched.values()) {
            w.start();
        }
        return this;
    }

    /**
     * Waits until every informer has its initial list, is watching for changes, and the listeners have
     * received all of the list.
     *
     * @throws InventorySyncException when a resource fails (forbidden, not served, unreachable) or the
     *                                timeout passes; the message names each resource and the fix
     */
    public void waitUntilSynced(Duration timeout) {
        if (state != State.STARTED) {
            throw new IllegalStateException("inventory is " + state.name().toLowerCase() + ", call start() first");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> failed = new ArrayList<>();
            List<String> pending = new ArrayList<>();
            Throwable cause = null;
            for (Watched<?> w : watched.values()) {
                Throwable failure = w.failure;
                if (failure != null) {
                    failed.add(w.kind + ": " + explain(w.kind, failure));
                    cause = failure;
                } else if (!w.synced()) {
                    Throwable last = w.lastError;
                    pending.add(w.kind + (!w.informer.hasSynced() ? " (no initial list yet"
                            + (last != null ? "; retrying after " + explain(w.kind, last) : "") + ")"
                            : !w.informer.isWatching() ? " (watch not yet established)"
                            : " (initial list not yet delivered)"));
                }
            }
            if (!failed.isEmpty()) {
                throw new InventorySyncException("inventory cannot sync from " + serverUrl() + ": "
                        + String.join("; ", failed), cause);
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new InventorySyncException("inventory not synced after " + timeout.toMillis() + " ms from "
                        + serverUrl() + ": waiting for " + String.join(", ", pending)
                        + "; check that the API server answers (kubectl get --raw /version) or allow a longer wait",
                        null);
            }
            try {
                Thread.sleep(SYNC_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InventorySyncException("interrupted while waiting for the inventory to sync", e);
            }
        }
    }

    /** True once every informer has had its initial list and watch, and the listeners received the list. */
    public boolean synced() {
        if (state != State.STARTED) {
            return false;
        }
        for (Watched<?> w : watched.values()) {
            if (!w.synced()) {
                return false;
            }
        }
        return true;
    }

    public boolean watches(Kind<?> kind) {
        return watched.containsKey(kind);
    }

    /** The watched kinds in {@link Kind#ALL} order. */
    public Set<Kind<?>> kinds() {
        return watched.keySet();
    }

    /** A snapshot of every cached object of {@code kind}. */
    public <T extends HasMetadata> List<T> list(Kind<T> kind) {
        return informer(kind).getStore().list();
    }

    /** A snapshot of the cached objects of {@code kind} in {@code namespace}. */
    public <T extends HasMetadata> List<T> list(Kind<T> kind, String namespace) {
        return informer(kind).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** The cached object; {@code namespace} is ignored for cluster-scoped kinds. */
    public <T extends HasMetadata> Optional<T> get(Kind<T> kind, String namespace, String name) {
        String key = kind.namespaced() ? Cache.namespaceKeyFunc(namespace, name) : name;
        return Optional.ofNullable(informer(kind).getStore().getByKey(key));
    }

    /** The API server this inventory watches. */
    public String serverUrl() {
        return client.getMasterUrl().toString();
    }

    /** Listener invocations that threw. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** Stops every informer and waits up to {@value #STOP_WAIT_MILLIS} ms for them to finish; idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.STARTED) {
            for (Watched<?> w : watched.values()) {
                w.informer.stop();
            }
            long deadline = System.nanoTime() + STOP_WAIT_MILLIS * 1_000_000L;
            for (Watched<?> w : watched.values()) {
                try {
                    w.informer.stopped().toCompletableFuture()
                            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("informer for {} did not stop cleanly", w.kind, e);
                }
            }
        }
        state = State.CLOSED;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Kind<T> kind) {
        @SuppressWarnings("unchecked")
        Watched<T> w = (Watched<T>) watched.get(kind);
        if (w == null) {
            throw new IllegalArgumentException("the inventory does not watch " + kind
                    + ": create it with Kind." + kind.kindName() + " among its kinds");
        }
        if (w.informer == null) {
            throw new IllegalStateException("inventory not started: call start() first");
        }
        return w.informer;
    }

    private void deliver(Watched<?> w, InventoryChange change) {
        synchronized (deliveryLock) {
            String key = Cache.metaNamespaceKeyFunc(change.object());
            if (!w.initialDelivered) {
                if (change.type() == InventoryChange.Type.DELETED) {
                    w.delivered.remove(key);
                } else {
                    w.delivered.add(key);
                }
            }
            for (InventoryListener listener : listeners) {
                try {
                    listener.onChange(change);
                } catch (RuntimeException e) {
                    listenerFailures.incrementAndGet();
                    LOG.warn("inventory listener {} failed on {} {} {}", listener, change.type(), change.kind(),
                            key, e);
                }
            }
        }
    }

    /**
     * Whether the server refused the resource for good: wrong credentials, no permission, not served.
     * Such errors end the informer and fail the sync at once; others (timeouts, connection loss) are
     * retried with the informer's backoff.
     */
    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                int code = k.getCode();
                if (code == 401 || code == 403 || code == 404) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why a resource could not be listed, and what to do about it. */
    static String explain(Kind<?> kind, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return switch (k.getCode()) {
                    case 401 -> "unauthorized (401): the API server rejected the credentials;"
                            + " renew the token or client certificate in the kubeconfig";
                    case 403 -> "forbidden (403): grant get, list and watch on " + kind.qualifiedResource()
                            + " to the identity in use (ClusterRole in docs/identity.md)";
                    case 404 -> "not served (404): the API server has no " + kind.apiVersion() + " "
                            + kind.kindName() + "; upgrade the cluster or leave Kind."
                            + kind.kindName() + " out of the inventory";
                    default -> "HTTP " + k.getCode() + ": " + firstLine(k.getMessage());
                };
            }
            if (t instanceof ConnectException) {
                return "unreachable (" + t.getMessage() + "): check that the API server is running";
            }
        }
        return firstLine(String.valueOf(failure.getMessage()));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One informer, and until its initial list reached the listeners, the keys delivered so far. */
    private final class Watched<T extends HasMetadata> implements ResourceEventHandler<T> {
        final Kind<T> kind;
        final Set<String> delivered = ConcurrentHashMap.newKeySet();
        volatile SharedIndexInformer<T> informer;
        volatile Throwable failure;
        volatile Throwable lastError;
        volatile boolean initialDelivered;

        Watched(Kind<T> kind) {
            this.kind = kind;
        }

        /** Creates the informer; all are created before any starts, so listeners can look up every kind. */
        void create() {
            informer = kind.informable(client).runnableInformer(0);
            informer.addEventHandler(this);
            informer.exceptionHandler((started, error) -> {
                lastError = error;
                return !refused(error) && !ExceptionHandler.isDeserializationException(error);
            });
        }

        void start() {
            informer.start().whenComplete((ok, error) -> {
                if (error != null) {
                    failure = error;
                }
            });
        }

        boolean synced() {
            if (initialDelivered) {
                return true;
            }
            SharedIndexInformer<T> inf = informer;
            if (inf == null || !inf.hasSynced() || !inf.isWatching()) {
                return false;
            }
            synchronized (deliveryLock) {
                if (!delivered.containsAll(inf.getStore().listKeys())) {
                    return false;
                }
                initialDelivered = true;
                delivered.clear();
                return true;
            }
        }

        @Override
        public void onAdd(T obj) {
            deliver(this, new InventoryChange(kind, InventoryChange.Type.ADDED, null, obj));
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            deliver(this, new InventoryChange(kind, InventoryChange.Type.UPDATED, oldObj, newObj));
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            deliver(this, new InventoryChange(kind, InventoryChange.Type.DELETED, obj, null));
        }
    }
}
