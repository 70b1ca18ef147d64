package dev.vigil.kube.inventory;

/**
 * Receives every change the inventory observes, one at a time, in the order the inventory saw them
 * (all kinds share one order). Called on an informer thread: return quickly, never block on I/O.
 * A listener that throws is logged and counted; the others still receive the change.
 */
@FunctionalInterface
public interface InventoryListener {

    void onChange(InventoryChange change);
}
