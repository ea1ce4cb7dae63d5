package org.l2o.api;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Derivation of child seeds and generators from a root seed. Every component of a run gets its
 * own generator derived from the root seed and a stream label, so adding a component never shifts
 * the random numbers another one sees.
 *
 * <p>Stateless and thread-safe; its results depend on its arguments only.
 */
public final class Seeds {

    /** Generator algorithm used everywhere: fast, splittable, with good statistical quality. */
    public static final String ALGORITHM = "L64X128MixRandom";

    private Seeds() {
    }

    /** A child seed of {@code root} for the stream {@code label} and index {@code index}. */
    public static long child(long root, String label, long index) {
        long h = mix(root ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < label.length(); i++) {
            h = mix(h ^ label.charAt(i));
        }
        return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
    }

    /** A fresh generator seeded with {@code seed}. */
    public static RandomGenerator generator(long seed) {
        return RandomGeneratorFactory.of(ALGORITHM).create(seed);
    }

    /** A generator for the stream {@code label}, index {@code index}, of {@code root}. */
    public static RandomGenerator generator(long root, String label, long index) {
        return generator(child(root, label, index));
    }

    /**
     * {@code k} distinct indices below {@code n}, sorted: the first {@code k} positions of a partial
     * Fisher-Yates shuffle drawn with {@code random}.
     */
    public static int[] subset(int n, int k, RandomGenerator random) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot choose " + k + " of " + n);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(perm, k);
        java.util.Arrays.sort(out);
        return out;
    }

    // SplitMix64 finaliser: a bijection with full avalanche.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
