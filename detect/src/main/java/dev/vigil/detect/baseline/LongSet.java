package dev.vigil.detect.baseline;

import java.util.Arrays;

/**
 * A set of 64-bit hashes: open addressing with linear probing, load at most one half, so that
 * {@link #contains} touches one or two slots and allocates nothing. 0 is stored as a separate flag.
 * Not thread-safe.
 */
final class LongSet {

    private static final int MIN_CAPACITY = 8;

    private long[] slots = new long[MIN_CAPACITY];
    private boolean hasZero;
    private int size;

    boolean contains(long key) {
        if (key == 0) {
            return hasZero;
        }
        long[] s = slots;
        int mask = s.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long v = s[i];
            if (v == key) {
                return true;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    /** Adds {@code key}; false when it was there. */
    boolean add(long key) {
        if (key == 0) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long v = slots[i];
            if (v == key) {
                return false;
            }
            if (v == 0) {
                slots[i] = key;
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(slots, 0);
        hasZero = false;
        size = 0;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != 0) {
                int i = mix(v) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = v;
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ h >>> 32);
    }
}
