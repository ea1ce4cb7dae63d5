package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.objective.ParameterLayout;

/**
 * A random quadratic {@code 1/2 (x - c)^T A (x - c)} with {@code A = Q diag(lambda) Q^T}: eigenvalues
 * log-spaced from 1 to the condition number, Q a product of four random Householder reflections
 * (orthogonal, applied in O(n), so dimensions up to millions stay cheap), centre c ~ N(0, I).
 * Minimum 0 at c. Initial point ~ N(0, I).
 */
final class Quadratic extends DenseObjective {

    private static final int REFLECTIONS = 4;

    private final double[] lambda;
    private final double[] centre;
    private final double[][] householder;

    Quadratic(String id, int n, double condition, RandomGenerator r) {
        super(id, ParameterLayout.single(n));
        lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = n == 1 ? 1 : Math.pow(condition, (double) i / (n - 1));
        }
        centre = gaussian(r, n, 1);
        householder = new double[REFLECTIONS][];
        for (int k = 0; k < REFLECTIONS; k++) {
            double[] v = gaussian(r, n, 1);
            double norm = 0;
            for (double e : v) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                v[i] /= norm;
            }
            householder[k] = v;
        }
    }

    /** Applies H = I - 2 v v^T in place. */
    private static void reflect(double[] v, double[] z) {
        double dot = 0;
        for (int i = 0; i < z.length; i++) {
            dot += v[i] * z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] -= 2 * dot * v[i];
        }
    }

    @Override
    double compute(double[] x, double[] g) {
        int n = x.length;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = x[i] - centre[i];
        }
        // z <- Q^T (x - c) with Q = H_0 H_1 ... H_k, so Q^T = H_k ... H_0
        for (int k = 0; k < REFLECTIONS; k++) {
            reflect(householder[k], z);
        }
        double f = 0;
        for (int i = 0; i < n; i++) {
            f += 0.5 * lambda[i] * z[i] * z[i];
            z[i] *= lambda[i];
        }
        if (g != null) {
            for (int k = REFLECTIONS - 1; k >= 0; k--) {
                reflect(householder[k], z);
            }
            System.arraycopy(z, 0, g, 0, n);
        }
        return f;
    }

    @Override
    double[] start(RandomGenerator random) {
        return gaussian(random, dimension(), 1);
    }
}
