package dev.vigil.testkit;

import java.util.SplittableRandom;

/**
 * Seeded random and mutated inputs for robustness (property) tests of decoders and parsers. Every
 * generator is deterministic for a seed, so a failure names the seed that reproduces it.
 */
public final class Mutations {

    private Mutations() {
    }

    /** {@code length} random bytes. */
    public static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /**
     * A copy of {@code valid} with one to eight edits: bit flips, byte overwrites with boundary values
     * (0x00, 0x7f, 0x80, 0xff), truncation, duplication of a slice, or insertion of random bytes.
     */
    public static byte[] mutate(SplittableRandom random, byte[] valid) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            if (b.length == 0) {
                return randomBytes(random, 1 + random.nextInt(16));
            }
            int at = random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0x00, 0x7f, 0x80, 0xff}[random.nextInt(4)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = 1 + random.nextInt(Math.min(64, b.length - at));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> {
                    byte[] noise = randomBytes(random, 1 + random.nextInt(16));
                    byte[] out = new byte[b.length + noise.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(noise, 0, out, at, noise.length);
                    System.arraycopy(b, at, out, at + noise.length, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }
}
