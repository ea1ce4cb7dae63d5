package org.l2o.api.testkit;

import java.util.Arrays;
import java.util.List;

/** Damaged copies of valid files, for the property-based tests of readers. Stateless. */
public final class Corruption {

    private Corruption() {
    }

    /**
     * {@code valid} cut at fraction {@code cut} of its length when {@code truncate}, or else with
     * one bit flipped per entry of {@code flips} (byte {@code f / 8} modulo the length, bit
     * {@code f % 8}).
     */
    public static byte[] of(byte[] valid, boolean truncate, double cut, List<Integer> flips) {
        if (truncate) {
            return Arrays.copyOf(valid, (int) (cut * (valid.length - 1)));
        }
        byte[] b = valid.clone();
        for (int f : flips) {
            b[(f >>> 3) % b.length] ^= (byte) (1 << (f & 7));
        }
        return b;
    }
}
