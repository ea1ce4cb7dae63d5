package org.l2o.lopt;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MlpLopt}'s layer on a block of coordinates in vector instructions (JDK 17's incubating
 * Vector API): lanes run over coordinates, and each pass keeps four outputs (two for the last
 * layer's d and m) of two vectors of coordinates in registers while it reads the inputs once.
 * Every lane does the portable layer's IEEE operations in its order ({@code acc = bias}, then
 * {@code acc + x * w} over the inputs in order, then the ReLU), so the results are bit-identical.
 *
 * <p>Loaded only when {@link MlpLopt#SIMD}: referencing this class without the
 * {@code jdk.incubator.vector} module fails.
 */
final class SimdLayer {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final DoubleVector ZERO = DoubleVector.zero(S);

    private SimdLayer() {
    }

    static int lanes() {
        return S.length();
    }

    /**
     * {@code out[o block + j] = bias[o] + sum_{i < used} in[i stride + from + j] W[i + o fanIn]} for
     * {@code j < len}, then {@code max(., 0)} where {@code relu}.
     */
    static void layer(double[] in, int stride, int from, int used, double[] w, int fanIn, double[] bias,
                      double[] out, int block, int len, boolean relu) {
        int outs = bias.length;
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            quad(in, stride, from, used, w, fanIn, bias, out, block, len, relu, o);
        }
        if (o + 2 <= outs) { // the last layer's d and m
            pair(in, stride, from, used, w, fanIn, bias, out, block, len, relu, o);
            o += 2;
        }
        for (; o < outs; o++) {
            single(in, stride, from, used, w, fanIn, bias, out, block, len, relu, o);
        }
    }

    // quad, pair and single are separate methods so that each is compiled with the vector operations
    // inlined: one method with both loops exceeded the compiler's inlining budget, and the
    // operations it did not inline ran as boxed Java code, slower than the portable layer. For the
    // same reason each writes its outputs itself: a shared store(a, b, ...) helper, compiled on its
    // own once hot, was no longer inlined into pair, whose vectors then went to it boxed

    /** Outputs {@code o..o+3}. */
    private static void quad(double[] in, int stride, int from, int used, double[] w, int fanIn, double[] bias,
                             double[] out, int block, int len, boolean relu, int o) {
        int lanes = S.length();
        int w0 = o * fanIn;
        int w1 = w0 + fanIn;
        int w2 = w1 + fanIn;
        int w3 = w2 + fanIn;
        int j = 0;
        for (; j + 2 * lanes <= len; j += 2 * lanes) {
            DoubleVector a0 = DoubleVector.broadcast(S, bias[o]);
            DoubleVector a1 = DoubleVector.broadcast(S, bias[o + 1]);
            DoubleVector a2 = DoubleVector.broadcast(S, bias[o + 2]);
            DoubleVector a3 = DoubleVector.broadcast(S, bias[o + 3]);
            DoubleVector b0 = a0;
            DoubleVector b1 = a1;
            DoubleVector b2 = a2;
            DoubleVector b3 = a3;
            for (int i = 0; i < used; i++) {
                int src = i * stride + from + j;
                DoubleVector x = DoubleVector.fromArray(S, in, src);
                DoubleVector y = DoubleVector.fromArray(S, in, src + lanes);
                double c0 = w[w0 + i];
                double c1 = w[w1 + i];
                double c2 = w[w2 + i];
                double c3 = w[w3 + i];
                a0 = a0.add(x.mul(c0));
                b0 = b0.add(y.mul(c0));
                a1 = a1.add(x.mul(c1));
                b1 = b1.add(y.mul(c1));
                a2 = a2.add(x.mul(c2));
                b2 = b2.add(y.mul(c2));
                a3 = a3.add(x.mul(c3));
                b3 = b3.add(y.mul(c3));
            }
            if (relu) {
                a0 = a0.max(ZERO);
                b0 = b0.max(ZERO);
            }
            a0.intoArray(out, o * block + j);
            b0.intoArray(out, o * block + j + lanes);
            if (relu) {
                a1 = a1.max(ZERO);
                b1 = b1.max(ZERO);
            }
            a1.intoArray(out, (o + 1) * block + j);
            b1.intoArray(out, (o + 1) * block + j + lanes);
            if (relu) {
                a2 = a2.max(ZERO);
                b2 = b2.max(ZERO);
            }
            a2.intoArray(out, (o + 2) * block + j);
            b2.intoArray(out, (o + 2) * block + j + lanes);
            if (relu) {
                a3 = a3.max(ZERO);
                b3 = b3.max(ZERO);
            }
            a3.intoArray(out, (o + 3) * block + j);
            b3.intoArray(out, (o + 3) * block + j + lanes);
        }
        for (int k = o; k < o + 4; k++) {
            tail(in, stride, from, used, w, fanIn, bias, out, block, j, len, relu, k);
        }
    }

    /** Outputs {@code o} and {@code o+1}. */
    private static void pair(double[] in, int stride, int from, int used, double[] w, int fanIn, double[] bias,
                             double[] out, int block, int len, boolean relu, int o) {
        int lanes = S.length();
        int w0 = o * fanIn;
        int w1 = w0 + fanIn;
        int j = 0;
        for (; j + 2 * lanes <= len; j += 2 * lanes) {
            DoubleVector a0 = DoubleVector.broadcast(S, bias[o]);
            DoubleVector a1 = DoubleVector.broadcast(S, bias[o + 1]);
            DoubleVector b0 = a0;
            DoubleVector b1 = a1;
            for (int i = 0; i < used; i++) {
                int src = i * stride + from + j;
                DoubleVector x = DoubleVector.fromArray(S, in, src);
                DoubleVector y = DoubleVector.fromArray(S, in, src + lanes);
                double c0 = w[w0 + i];
                double c1 = w[w1 + i];
                a0 = a0.add(x.mul(c0));
                b0 = b0.add(y.mul(c0));
                a1 = a1.add(x.mul(c1));
                b1 = b1.add(y.mul(c1));
            }
            if (relu) {
                a0 = a0.max(ZERO);
                b0 = b0.max(ZERO);
            }
            a0.intoArray(out, o * block + j);
            b0.intoArray(out, o * block + j + lanes);
            if (relu) {
                a1 = a1.max(ZERO);
                b1 = b1.max(ZERO);
            }
            a1.intoArray(out, (o + 1) * block + j);
            b1.intoArray(out, (o + 1) * block + j + lanes);
        }
        tail(in, stride, from, used, w, fanIn, bias, out, block, j, len, relu, o);
        tail(in, stride, from, used, w, fanIn, bias, out, block, j, len, relu, o + 1);
    }

    /** Output {@code o} alone. */
    private static void single(double[] in, int stride, int from, int used, double[] w, int fanIn, double[] bias,
                               double[] out, int block, int len, boolean relu, int o) {
        int lanes = S.length();
        int wo = o * fanIn;
        int j = 0;
        for (; j + 2 * lanes <= len; j += 2 * lanes) {
            DoubleVector a = DoubleVector.broadcast(S, bias[o]);
            DoubleVector b = a;
            for (int i = 0; i < used; i++) {
                int src = i * stride + from + j;
                double c = w[wo + i];
                a = a.add(DoubleVector.fromArray(S, in, src).mul(c));
                b = b.add(DoubleVector.fromArray(S, in, src + lanes).mul(c));
            }
            if (relu) {
                a = a.max(ZERO);
                b = b.max(ZERO);
            }
            a.intoArray(out, o * block + j);
            b.intoArray(out, o * block + j + lanes);
        }
        tail(in, stride, from, used, w, fanIn, bias, out, block, j, len, relu, o);
    }

    /** Coordinates {@code [j, len)} of output {@code o}, one at a time, in the same order of operations. */
    private static void tail(double[] in, int stride, int from, int used, double[] w, int fanIn, double[] bias,
                             double[] out, int block, int j, int len, boolean relu, int o) {
        for (; j < len; j++) {
            double acc = bias[o];
            for (int i = 0; i < used; i++) {
                acc += in[i * stride + from + j] * w[o * fanIn + i];
            }
            out[o * block + j] = relu ? Math.max(acc, 0.0) : acc;
        }
    }
}
