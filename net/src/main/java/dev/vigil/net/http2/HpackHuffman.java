package dev.vigil.net.http2;

/**
 * The Huffman code of HPACK (RFC 7541 Appendix B) as a decoder that consumes four bits at a time.
 * The code is canonical, so the table holds only each symbol's code length; the codes are rebuilt
 * from the lengths (shorter codes first, equal lengths in symbol order), and the decoding automaton
 * is derived from the resulting code tree once, when the class loads.
 *
 * <p>Decoding rejects the EOS symbol and padding that is longer than seven bits or not all ones
 * (RFC 7541 section 5.2).
 */
final class HpackHuffman {

    /** Code length of symbols 0-255 and EOS (256), from RFC 7541 Appendix B. */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7,
        8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19,
        13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13,
        28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
        22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23,
        22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25,
        25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30};

    private static final int EOS = 256;
    private static final int EMIT = 1 << 8;
    private static final int FAIL = 1 << 9;
    private static final int ACCEPT = 1 << 10;

    /** Per state (internal tree node) and nibble: next state << 16 | flags | symbol. */
    private static final int[] STEP;
    /** Per state: whether input may end there (a proper prefix of EOS, at most seven bits). */
    private static final boolean[] FINAL;

    static {
        int[][] child = new int[2 * (EOS + 1)][2];
        int[] leaf = new int[2 * (EOS + 1)];
        java.util.Arrays.fill(leaf, -1);
        int nodes = 1;
        long code = 0;
        for (int length = 1; length <= 30; length++) {
            for (int sym = 0; sym <= EOS; sym++) {
                if (LENGTHS[sym] != length) {
                    continue;
                }
                int node = 0;
                for (int bit = length - 1; bit >= 0; bit--) {
                    int b = (int) (code >> bit) & 1;
                    if (child[node][b] == 0) {
                        child[node][b] = nodes++;
                    }
                    node = child[node][b];
                }
                leaf[node] = sym;
                code++;
            }
            code <<= 1;
        }
        int[] stateOf = new int[nodes];
        int[] nodeOf = new int[nodes];
        int states = 0;
        for (int n = 0; n < nodes; n++) {
            if (leaf[n] < 0) {
                stateOf[n] = states;
                nodeOf[states++] = n;
            }
        }
        STEP = new int[states * 16];
        FINAL = new boolean[states];
        int node = 0;
        for (int depth = 0; depth < 8; depth++) {
            FINAL[stateOf[node]] = true;
            node = child[node][1];
        }
        for (int s = 0; s < states; s++) {
            for (int nibble = 0; nibble < 16; nibble++) {
                int n = nodeOf[s];
                int flags = 0;
                int sym = 0;
                for (int bit = 3; bit >= 0; bit--) {
                    n = child[n][(nibble >> bit) & 1];
                    if (leaf[n] >= 0) {
                        if (leaf[n] == EOS) {
                            flags |= FAIL;
                            break;
                        }
                        flags |= EMIT;
                        sym = leaf[n];
                        n = 0;
                    }
                }
                int next = (flags & FAIL) != 0 ? 0 : stateOf[n];
                if ((flags & FAIL) == 0 && FINAL[next]) {
                    flags |= ACCEPT;
                }
                STEP[s * 16 + nibble] = next << 16 | flags | sym;
            }
        }
    }

    private HpackHuffman() {
    }

    /**
     * Decodes {@code length} bytes of {@code in} from {@code from} into {@code out} at {@code at}.
     *
     * @return the decoded length, or -1 for an invalid code or padding, -2 when {@code out} is too small
     */
    static int decode(byte[] in, int from, int length, byte[] out, int at) {
        int state = 0;
        int n = at;
        boolean accept = true;
        for (int i = from, end = from + length; i < end; i++) {
            int b = in[i] & 0xff;
            for (int shift = 4; shift >= 0; shift -= 4) {
                int step = STEP[state * 16 + ((b >> shift) & 0xf)];
                if ((step & FAIL) != 0) {
                    return -1;
                }
                if ((step & EMIT) != 0) {
                    if (n == out.length) {
                        return -2;
                    }
                    out[n++] = (byte) step;
                }
                state = step >>> 16;
                accept = (step & ACCEPT) != 0;
            }
        }
        return accept ? n - at : -1;
    }
}
