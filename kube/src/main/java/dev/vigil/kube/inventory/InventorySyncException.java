package dev.vigil.kube.inventory;

/**
 * The inventory could not load its initial state: a resource was refused (RBAC), not served, the API
 * server was unreachable, or the wait timed out. The message names each resource, why, and what to do.
 */
public class InventorySyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InventorySyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
