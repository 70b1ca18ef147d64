package dev.vigil.detect.rules.expr;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An immutable set of strings that answers for any {@link CharSequence}, or any region of one,
 * without allocating: open addressing with linear probing over the String hash, so a String value
 * uses its cached hash. Backs {@code in} and {@code intersects} with constant lists.
 */
public final class CharSeqSet {

    private final String[] slots;
    private final int[] hashes;
    private final int[] order;
    private final int mask;
    private final Set<String> values;

    public CharSeqSet(Collection<String> values) {
        this.values = Set.copyOf(new LinkedHashSet<>(values));
        int capacity = Integer.highestOneBit(Math.max(4, this.values.size() * 2) * 2 - 1);
        slots = new String[capacity];
        hashes = new int[capacity];
        order = new int[capacity];
        mask = capacity - 1;
        int next = 0;
        for (String v : new LinkedHashSet<>(values)) {
            int h = v.hashCode();
            int i = spread(h) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = v;
            hashes[i] = h;
            order[i] = next++;
        }
    }

    public boolean contains(CharSequence s) {
        return indexOf(s, 0, s.length()) >= 0;
    }

    /** The position of the value in the collection given at construction (first occurrence), or -1. */
    public int indexOf(CharSequence s) {
        return indexOf(s, 0, s.length());
    }

    int indexOf(CharSequence s, int from, int to) {
        int h = Chars.hash(s, from, to);
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            String slot = slots[i];
            if (slot == null) {
                return -1;
            }
            if (hashes[i] == h && Chars.regionEquals(s, from, to, slot)) {
                return order[i];
            }
        }
    }

    public Set<String> values() {
        return values;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
