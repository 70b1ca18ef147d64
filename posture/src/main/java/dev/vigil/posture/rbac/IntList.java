package dev.vigil.posture.rbac;

import java.util.Arrays;

/** A growable list of ints, so the policy indexes hold no boxed integers. */
final class IntList {
    private int[] a = new int[4];
    private int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    void addAll(int[] vs) {
        if (vs == null) {
            return;
        }
        for (int v : vs) {
            add(v);
        }
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }

    int[] sortedDistinct() {
        int[] s = toArray();
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[m++] = s[i];
            }
        }
        return Arrays.copyOf(s, m);
    }
}
