package dev.vigil.kube.inventory;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One change the inventory observed. Changes are upserts: an {@code ADDED} may follow for an object a
 * listener already knows (after a relist), so listeners treat {@code ADDED} and {@code UPDATED} alike.
 *
 * @param previous the object before an update, or as last seen for a deletion; null for an addition
 * @param current  the object after an addition or update; null for a deletion
 */
public record InventoryChange(Kind<?> kind, Type type, HasMetadata previous, HasMetadata current) {

    /** What happened to the object. */
    public enum Type { ADDED, UPDATED, DELETED }

    /** The object as it is now, or as it was last seen when it was deleted. */
    public HasMetadata object() {
        return current != null ? current : previous;
    }

    /** {@link #object()} typed as {@code expected}'s objects; throws when the change is of another kind. */
    public <T extends HasMetadata> T object(Kind<T> expected) {
        if (kind != expected) {
            throw new IllegalArgumentException("change is of " + kind + ", not " + expected);
        }
        @SuppressWarnings("unchecked")
        T t = (T) object();
        return t;
    }
}
