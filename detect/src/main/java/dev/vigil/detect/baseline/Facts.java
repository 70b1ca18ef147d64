package dev.vigil.detect.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded set of learned facts: hashes for allocation-free checks, the facts themselves in the
 * order learned for export. Not thread-safe; guarded by its {@link WorkloadBaseline}.
 */
final class Facts<T> {

    private final LongSet keys = new LongSet();
    private final List<T> items = new ArrayList<>();
    private final int max;

    Facts(int max) {
        this.max = max;
    }

    boolean contains(long key) {
        return keys.contains(key);
    }

    /** Adds a new fact; false when the set is full (the caller counts it). */
    boolean add(long key, T item) {
        if (items.size() >= max) {
            return false;
        }
        if (keys.add(key)) {
            items.add(item);
        }
        return true;
    }

    List<T> items() {
        return items;
    }

    int size() {
        return items.size();
    }

    int max() {
        return max;
    }
}
