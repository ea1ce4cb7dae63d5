package org.l2o.lopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MlpLopt}'s vectorised layer against the portable one, bit for bit: on block lengths with and
 * without a scalar tail, output counts that use each of its kernels (four, two and one outputs at a
 * time), inputs read in place from a wider array (the first layer's stride), with and without the ReLU.
 */
class SimdLayerTest {

    @Test
    void theTestJvmRunsTheVectorisedPath() {
        assertTrue(MlpLopt.SIMD, "jdk.incubator.vector is not readable: the build's test argLine should add it");
    }

    @Test
    void theVectorisedLayerIsBitIdenticalToThePortableOne() {
        SplittableRandom r = new SplittableRandom(11);
        int block = 40;
        for (int[] shape : new int[][] {{12, 16}, {16, 2}, {7, 5}, {32, 32}, {3, 1}, {5, 7}}) {
            int used = shape[0];
            int fanIn = used + 2; // the first layer reads only its own inputs, not the time channels after them
            int outs = shape[1];
            int stride = 97;
            double[] in = r.doubles(fanIn * stride, -2, 2).toArray();
            double[] w = r.doubles(fanIn * outs, -1, 1).toArray();
            double[] b = r.doubles(outs, -1, 1).toArray();
            for (int len : new int[] {block, 37, 1, 8}) {
                for (boolean relu : new boolean[] {true, false}) {
                    for (int from : new int[] {0, 53}) {
                        double[] portable = new double[outs * block];
                        double[] simd = new double[outs * block];
                        MlpLopt.portableLayer(in, stride, from, used, w, fanIn, b, portable, block, len, relu);
                        SimdLayer.layer(in, stride, from, used, w, fanIn, b, simd, block, len, relu);
                        assertArrayEquals(portable, simd, 0.0, used + "x" + outs + " len " + len + " relu " + relu
                                + " from " + from);
                    }
                }
            }
        }
    }
}
