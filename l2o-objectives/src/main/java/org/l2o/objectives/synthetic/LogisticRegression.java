package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.objective.ParameterLayout;

/**
 * Regularised logistic regression on a random two-class dataset (Li & Malik 2016, the problem classes of the experiments):
 * {@code -(1/n) sum [y log s(w.x + b) + (1-y) log(1 - s(w.x + b))] + (lambda/2)|w|^2}. Parameters are
 * {@code (w, b)}. Data: half the points from each of two Gaussians with means ~ N(0, I) and random
 * covariances; the label says which Gaussian. Initial point ~ N(0, I).
 */
final class LogisticRegression extends DenseObjective {

    private final double[][] x;
    private final double[] y;
    private final double lambda;
    private final int d;

    LogisticRegression(String id, int d, int points, double lambda, RandomGenerator r) {
        super(id, ParameterLayout.of("w", new int[] {d}, "b", new int[] {1}));
        this.d = d;
        this.lambda = lambda;
        this.x = new double[points][];
        this.y = new double[points];
        int first = points / 2;
        double[][] a = gaussianCluster(r, gaussian(r, d, 1), first);
        double[][] b = gaussianCluster(r, gaussian(r, d, 1), points - first);
        for (int i = 0; i < points; i++) {
            x[i] = i < first ? a[i] : b[i - first];
            y[i] = i < first ? 0 : 1;
        }
    }

    @Override
    double compute(double[] p, double[] g) {
        int n = x.length;
        double loss = 0;
        if (g != null) {
            java.util.Arrays.fill(g, 0);
        }
        for (int i = 0; i < n; i++) {
            double z = p[d];
            for (int j = 0; j < d; j++) {
                z += p[j] * x[i][j];
            }
            // log(1 + e^z) - y z, computed without overflow for large |z|
            loss += softplus(z) - y[i] * z;
            if (g != null) {
                double r = sigmoid(z) - y[i];
                for (int j = 0; j < d; j++) {
                    g[j] += r * x[i][j] / n;
                }
                g[d] += r / n;
            }
        }
        loss /= n;
        double reg = 0;
        for (int j = 0; j < d; j++) {
            reg += p[j] * p[j];
            if (g != null) {
                g[j] += lambda * p[j];
            }
        }
        return loss + 0.5 * lambda * reg;
    }

    @Override
    double[] start(RandomGenerator random) {
        return gaussian(random, d + 1, 1);
    }

    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
