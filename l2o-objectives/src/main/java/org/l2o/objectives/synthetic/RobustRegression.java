package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.objective.ParameterLayout;

/**
 * Robust linear regression with the Geman-McClure loss (Li & Malik 2016, the problem classes of the experiments):
 * {@code (1/n) sum r^2 / (c^2 + r^2)}, {@code r = y - w.x - b}. Data: four Gaussians with means ~ N(0, I)
 * and identity covariance, equal numbers of points; within each, targets are the projection on
 * its own random vector ~ N(0, I) plus its own bias ~ N(0, 1) plus Gaussian noise. Non-convex:
 * each cluster pulls the fit toward its own line. Initial point ~ N(0, I).
 */
final class RobustRegression extends DenseObjective {

    private final double[][] x;
    private final double[] y;
    private final double c2;
    private final int d;

    RobustRegression(String id, int d, int clusters, int perCluster, double c, double noise, RandomGenerator r) {
        super(id, ParameterLayout.of("w", new int[] {d}, "b", new int[] {1}));
        this.d = d;
        this.c2 = c * c;
        int n = clusters * perCluster;
        this.x = new double[n][];
        this.y = new double[n];
        int i = 0;
        for (int k = 0; k < clusters; k++) {
            double[] mean = gaussian(r, d, 1);
            double[] v = gaussian(r, d, 1);
            double bias = r.nextGaussian();
            for (int m = 0; m < perCluster; m++, i++) {
                double[] p = new double[d];
                double t = bias + noise * r.nextGaussian();
                for (int j = 0; j < d; j++) {
                    p[j] = mean[j] + r.nextGaussian();
                    t += v[j] * p[j];
                }
                x[i] = p;
                y[i] = t;
            }
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
            double res = y[i] - p[d];
            for (int j = 0; j < d; j++) {
                res -= p[j] * x[i][j];
            }
            double q = c2 + res * res;
            loss += res * res / q;
            if (g != null) {
                // d/dr [r^2 / (c^2 + r^2)] = 2 r c^2 / (c^2 + r^2)^2, and dr/dw = -x, dr/db = -1
                double dr = 2 * res * c2 / (q * q) / n;
                for (int j = 0; j < d; j++) {
                    g[j] -= dr * x[i][j];
                }
                g[d] -= dr;
            }
        }
        return loss / n;
    }

    @Override
    double[] start(RandomGenerator random) {
        return gaussian(random, d + 1, 1);
    }
}
