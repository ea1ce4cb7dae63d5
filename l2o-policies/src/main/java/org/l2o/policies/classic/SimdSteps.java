package org.l2o.policies.classic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise rules' in-place steps as single passes of vector instructions over the run's
 * native iterate and gradient (JDK 17's incubating Vector API): read x and g, advance the rule's
 * buffers, write x + dx back and sum dx^2, without the heap copies of {@link ElementwiseRule}'s
 * portable path. Each lane does exactly the portable kernel's IEEE operations in its order
 * (products written {@code a * b} there are {@code a.mul(b)} here), so iterates and buffers are
 * bit-identical to it; only the reported squared norm is summed in another order.
 *
 * <p>Loaded only when {@link ElementwiseRule.Simd#ENABLED}: referencing this class without the
 * {@code jdk.incubator.vector} module fails.
 */
final class SimdSteps {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private SimdSteps() {
    }

    /** Lanes per vector on this machine; the portable path is used below two. */
    static int lanes() {
        return S.length();
    }

    private static DoubleVector load(ByteBuffer b, int i) {
        return DoubleVector.fromByteBuffer(S, b, i * Double.BYTES, ORDER);
    }

    private static double get(ByteBuffer b, int i) {
        return b.getDouble(i * Double.BYTES);
    }

    /** Coupled weight decay as the portable path applies it: {@code g + decay * x}. */
    private static DoubleVector decayed(DoubleVector g, DoubleVector x, double decay) {
        return decay == 0 ? g : g.add(x.mul(decay));
    }

    private static double decayed(double g, double x, double decay) {
        return decay == 0 ? g : g + decay * x;
    }

    /** Moves x by d at vector index i and returns acc + d^2. */
    private static DoubleVector move(ByteBuffer xb, int i, DoubleVector x, DoubleVector d, DoubleVector acc) {
        x.add(d).intoByteBuffer(xb, i * Double.BYTES, ORDER);
        return d.fma(d, acc);
    }

    static double sgd(ByteBuffer xb, ByteBuffer gb, int n, double lr, double decay) {
        DoubleVector acc = DoubleVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector x = load(xb, i);
            DoubleVector g = decayed(load(gb, i), x, decay);
            acc = move(xb, i, x, g.mul(-lr), acc);
        }
        double sq = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double x = get(xb, i);
            double d = -lr * decayed(get(gb, i), x, decay);
            xb.putDouble(i * Double.BYTES, x + d);
            sq += d * d;
        }
        return sq;
    }

    static double momentum(ByteBuffer xb, ByteBuffer gb, int n, double[] b, boolean first, double lr, double momentum,
                           double keep, boolean nesterov, double decay) {
        DoubleVector acc = DoubleVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector x = load(xb, i);
            DoubleVector g = decayed(load(gb, i), x, decay);
            DoubleVector m = first ? g : DoubleVector.fromArray(S, b, i).mul(momentum).add(g.mul(keep));
            m.intoArray(b, i);
            DoubleVector d = nesterov ? g.add(m.mul(momentum)).mul(-lr) : m.mul(-lr);
            acc = move(xb, i, x, d, acc);
        }
        double sq = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double x = get(xb, i);
            double g = decayed(get(gb, i), x, decay);
            b[i] = first ? g : momentum * b[i] + keep * g;
            double d = nesterov ? -lr * (g + momentum * b[i]) : -lr * b[i];
            xb.putDouble(i * Double.BYTES, x + d);
            sq += d * d;
        }
        return sq;
    }

    static double adagrad(ByteBuffer xb, ByteBuffer gb, int n, double[] sum, double clr, double eps, double decay) {
        DoubleVector acc = DoubleVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector x = load(xb, i);
            DoubleVector g = decayed(load(gb, i), x, decay);
            DoubleVector s = DoubleVector.fromArray(S, sum, i).add(g.mul(g));
            s.intoArray(sum, i);
            acc = move(xb, i, x, g.mul(-clr).div(s.sqrt().add(eps)), acc);
        }
        double sq = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double x = get(xb, i);
            double g = decayed(get(gb, i), x, decay);
            sum[i] += g * g;
            double d = -clr * g / (Math.sqrt(sum[i]) + eps);
            xb.putDouble(i * Double.BYTES, x + d);
            sq += d * d;
        }
        return sq;
    }

    static double rmsprop(ByteBuffer xb, ByteBuffer gb, int n, double[][] buffers, double lr, double alpha,
                          double eps, double momentum, boolean centered, double decay) {
        double[] sqAvg = buffers[0];
        double[] mean = buffers[1];
        double[] buf = buffers[2];
        double rest = 1 - alpha;
        DoubleVector acc = DoubleVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector x = load(xb, i);
            DoubleVector g = decayed(load(gb, i), x, decay);
            DoubleVector v = DoubleVector.fromArray(S, sqAvg, i).mul(alpha).add(g.mul(rest).mul(g));
            v.intoArray(sqAvg, i);
            DoubleVector den;
            if (centered) {
                DoubleVector m = DoubleVector.fromArray(S, mean, i).mul(alpha).add(g.mul(rest));
                m.intoArray(mean, i);
                den = v.sub(m.mul(m)).sqrt().add(eps);
            } else {
                den = v.sqrt().add(eps);
            }
            DoubleVector d;
            if (momentum > 0) {
                DoubleVector bv = DoubleVector.fromArray(S, buf, i).mul(momentum).add(g.div(den));
                bv.intoArray(buf, i);
                d = bv.mul(-lr);
            } else {
                d = g.mul(-lr).div(den);
            }
            acc = move(xb, i, x, d, acc);
        }
        double sq = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double x = get(xb, i);
            double g = decayed(get(gb, i), x, decay);
            sqAvg[i] = alpha * sqAvg[i] + rest * g * g;
            double den;
            if (centered) {
                mean[i] = alpha * mean[i] + rest * g;
                den = Math.sqrt(sqAvg[i] - mean[i] * mean[i]) + eps;
            } else {
                den = Math.sqrt(sqAvg[i]) + eps;
            }
            double d;
            if (momentum > 0) {
                buf[i] = momentum * buf[i] + g / den;
                d = -lr * buf[i];
            } else {
                d = -lr * g / den;
            }
            xb.putDouble(i * Double.BYTES, x + d);
            sq += d * d;
        }
        return sq;
    }

    static double adam(ByteBuffer xb, ByteBuffer gb, int n, double[][] buffers, double stepSize, double root,
                       double beta1, double beta2, double eps, boolean amsgrad, double decay) {
        double[] m = buffers[0];
        double[] v = buffers[1];
        double[] vmax = amsgrad ? buffers[2] : null;
        double keep1 = 1 - beta1;
        double keep2 = 1 - beta2;
        DoubleVector acc = DoubleVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector x = load(xb, i);
            DoubleVector g = decayed(load(gb, i), x, decay);
            DoubleVector mv = DoubleVector.fromArray(S, m, i).mul(beta1).add(g.mul(keep1));
            mv.intoArray(m, i);
            DoubleVector vv = DoubleVector.fromArray(S, v, i).mul(beta2).add(g.mul(keep2).mul(g));
            vv.intoArray(v, i);
            if (amsgrad) {
                vv = DoubleVector.fromArray(S, vmax, i).max(vv);
                vv.intoArray(vmax, i);
            }
            acc = move(xb, i, x, mv.mul(-stepSize).div(vv.sqrt().div(root).add(eps)), acc);
        }
        double sq = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double x = get(xb, i);
            double g = decayed(get(gb, i), x, decay);
            m[i] = beta1 * m[i] + keep1 * g;
            v[i] = beta2 * v[i] + keep2 * g * g;
            double second = v[i];
            if (amsgrad) {
                vmax[i] = Math.max(vmax[i], v[i]);
                second = vmax[i];
            }
            double d = -stepSize * m[i] / (Math.sqrt(second) / root + eps);
            xb.putDouble(i * Double.BYTES, x + d);
            sq += d * d;
        }
        return sq;
    }
}
