package dev.vigil.detect.rules.expr;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Several {@code contains} (or {@code icontains}) operands on one field, matched in a single pass
 * with an Aho–Corasick automaton: the compiler puts it in place of an {@code or} of such checks
 * ({@code http.uri icontains "union select" or http.uri icontains "sleep(" or …}), so the value is
 * scanned once instead of once per operand. Only for ASCII operands; ASCII case is folded for
 * {@code icontains}, as {@code strcasestr} does. Matching allocates nothing.
 */
final class MultiContains extends StrMatcher {

    private static final int ALPHABET = 128;

    /** goto/failure-resolved transitions: {@code next[state * ALPHABET + c]}. */
    private final int[] next;
    private final boolean[] accepting;
    private final boolean fold;

    /** True when every operand is non-empty ASCII, so the automaton can serve them. */
    static boolean fits(List<String> needles) {
        for (String n : needles) {
            if (n.isEmpty() || !n.chars().allMatch(c -> c < ALPHABET)) {
                return false;
            }
        }
        return true;
    }

    MultiContains(List<String> needles, boolean fold) {
        this.fold = fold;
        int capacity = 1 + needles.stream().mapToInt(String::length).sum();
        int[] go = new int[capacity * ALPHABET];
        Arrays.fill(go, -1);
        boolean[] out = new boolean[capacity];
        int states = 1;
        for (String needle : needles) {
            int s = 0;
            for (int i = 0; i < needle.length(); i++) {
                int c = fold ? Chars.lower(needle.charAt(i)) : needle.charAt(i);
                if (go[s * ALPHABET + c] < 0) {
                    go[s * ALPHABET + c] = states++;
                }
                s = go[s * ALPHABET + c];
            }
            out[s] = true;
        }
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int t = go[c];
            if (t < 0) {
                go[c] = 0;
            } else {
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out[s] |= out[fail[s]];
            for (int c = 0; c < ALPHABET; c++) {
                int t = go[s * ALPHABET + c];
                if (t < 0) {
                    go[s * ALPHABET + c] = go[fail[s] * ALPHABET + c];
                } else {
                    fail[t] = go[fail[s] * ALPHABET + c];
                    queue.add(t);
                }
            }
        }
        this.next = Arrays.copyOf(go, states * ALPHABET);
        this.accepting = Arrays.copyOf(out, states);
    }

    @Override
    boolean matches(CharSequence v) {
        int s = 0;
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            if (c >= ALPHABET) {
                s = 0;
                continue;
            }
            s = next[s * ALPHABET + (fold ? Chars.lower(c) : c)];
            if (accepting[s]) {
                return true;
            }
        }
        return false;
    }
}
