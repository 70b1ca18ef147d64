package dev.vigil.kube.testing;

import dev.vigil.kube.inventory.InventoryChange;
import dev.vigil.kube.inventory.InventoryListener;
import dev.vigil.kube.inventory.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records every inventory change. Added after the listener under test, it tells a test when that
 * listener has processed a change: listeners are called in order, one change at a time.
 */
public final class EventLog implements InventoryListener {

    /** One recorded change. */
    public record Event(Kind<?> kind, InventoryChange.Type type, String namespace, String name,
            String resourceVersion) {
    }

    private final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void onChange(InventoryChange change) {
        var meta = change.object().getMetadata();
        events.add(new Event(change.kind(), change.type(), meta.getNamespace(), meta.getName(),
                meta.getResourceVersion()));
        notifyAll();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits up to 20 s for an event matching {@code match}; fails naming {@code what}. */
    public synchronized Event await(String what, Predicate<Event> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int from = 0;
        while (true) {
            for (int i = from; i < events.size(); i++) {
                if (match.test(events.get(i))) {
                    return events.get(i);
                }
            }
            from = events.size();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no inventory event " + what + " within 20 s; saw " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
