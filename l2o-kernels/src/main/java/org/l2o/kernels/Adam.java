package org.l2o.kernels;

/**
 * Adam (Kingma and Ba) on a flat parameter vector, with explicit state, as meta-trainers use it for
 * network weights: {@code m = 0.9 m + 0.1 g}, {@code v = 0.999 v + 0.001 g^2},
 * {@code w -= lr / (1 - 0.9^t) * m / (sqrt(v) / sqrt(1 - 0.999^t) + 1e-8)}. Immutable.
 *
 * @param m first-moment estimates
 * @param v second-moment estimates
 * @param t steps taken
 */
public record Adam(double[] m, double[] v, long t) {

    /** State for {@code size} parameters before the first step. */
    public static Adam fresh(int size) {
        return new Adam(new double[size], new double[size], 0);
    }

    /** Updates {@code w} in place with gradient {@code g}; returns the next state. */
    public Adam step(double[] w, double[] g, double lr) {
        double[] m2 = m.clone();
        double[] v2 = v.clone();
        long t2 = t + 1;
        double c1 = 1 - Math.pow(0.9, t2);
        double c2 = Math.sqrt(1 - Math.pow(0.999, t2));
        for (int i = 0; i < w.length; i++) {
            m2[i] = 0.9 * m2[i] + 0.1 * g[i];
            v2[i] = 0.999 * v2[i] + 0.001 * g[i] * g[i];
            w[i] -= lr / c1 * m2[i] / (Math.sqrt(v2[i]) / c2 + 1e-8);
        }
        return new Adam(m2, v2, t2);
    }
}
