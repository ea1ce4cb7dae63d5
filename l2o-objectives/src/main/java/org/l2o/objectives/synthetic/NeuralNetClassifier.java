package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.objective.ParameterLayout;

/**
 * The two-layer ReLU classifier of Li & Malik 2016, the problem classes of the experiments:
 * {@code -(1/n) sum log softmax(U max(W x + b, 0) + c)_y + (lambda/2)(|W|^2 + |U|^2)} with W of shape
 * h x d and U of shape p x h (d = h = p = 2 in the paper, 12 parameters). Data: four Gaussian
 * clusters with means ~ N(0, I) and random covariances, each with a random label in {0, ..., p-1};
 * datasets whose labels are all equal are redrawn. Matrices are stored column-major. Initial
 * point ~ N(0, I).
 */
final class NeuralNetClassifier extends DenseObjective {

    private final double[][] x;
    private final int[] y;
    private final int d;
    private final int h;
    private final int p;
    private final double lambda;

    NeuralNetClassifier(String id, int d, int h, int p, int clusters, int perCluster, double lambda, RandomGenerator r) {
        super(id, ParameterLayout.of("W", new int[] {h, d}, "b", new int[] {h}, "U", new int[] {p, h}, "c", new int[] {p}));
        this.d = d;
        this.h = h;
        this.p = p;
        this.lambda = lambda;
        int n = clusters * perCluster;
        this.x = new double[n][];
        this.y = new int[n];
        int[] labels = new int[clusters];
        boolean allEqual = true;
        while (allEqual) {
            for (int k = 0; k < clusters; k++) {
                labels[k] = r.nextInt(p);
            }
            allEqual = java.util.Arrays.stream(labels).allMatch(l -> l == labels[0]);
        }
        int i = 0;
        for (int k = 0; k < clusters; k++) {
            double[][] pts = gaussianCluster(r, gaussian(r, d, 1), perCluster);
            for (double[] pt : pts) {
                x[i] = pt;
                y[i++] = labels[k];
            }
        }
    }

    @Override
    double compute(double[] w, double[] g) {
        int oW = 0;
        int oB = h * d;
        int oU = oB + h;
        int oC = oU + p * h;
        int n = x.length;
        double[] z = new double[h];
        double[] a = new double[h];
        double[] s = new double[p];
        double[] da = new double[h];
        double loss = 0;
        if (g != null) {
            java.util.Arrays.fill(g, 0);
        }
        for (int i = 0; i < n; i++) {
            for (int u = 0; u < h; u++) {
                double v = w[oB + u];
                for (int j = 0; j < d; j++) {
                    v += w[oW + u + j * h] * x[i][j];
                }
                z[u] = v;
                a[u] = Math.max(v, 0);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < p; k++) {
                double v = w[oC + k];
                for (int u = 0; u < h; u++) {
                    v += w[oU + k + u * p] * a[u];
                }
                s[k] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < p; k++) {
                sum += Math.exp(s[k] - max);
            }
            double lse = max + Math.log(sum);
            loss += lse - s[y[i]];
            if (g != null) {
                java.util.Arrays.fill(da, 0);
                for (int k = 0; k < p; k++) {
                    double ds = (Math.exp(s[k] - lse) - (k == y[i] ? 1 : 0)) / n;
                    g[oC + k] += ds;
                    for (int u = 0; u < h; u++) {
                        g[oU + k + u * p] += ds * a[u];
                        da[u] += ds * w[oU + k + u * p];
                    }
                }
                for (int u = 0; u < h; u++) {
                    if (z[u] > 0) {
                        g[oB + u] += da[u];
                        for (int j = 0; j < d; j++) {
                            g[oW + u + j * h] += da[u] * x[i][j];
                        }
                    }
                }
            }
        }
        double reg = 0;
        for (int k = 0; k < h * d; k++) {
            reg += w[oW + k] * w[oW + k];
            if (g != null) {
                g[oW + k] += lambda * w[oW + k];
            }
        }
        for (int k = 0; k < p * h; k++) {
            reg += w[oU + k] * w[oU + k];
            if (g != null) {
                g[oU + k] += lambda * w[oU + k];
            }
        }
        return loss / n + 0.5 * lambda * reg;
    }

    @Override
    double[] start(RandomGenerator random) {
        return gaussian(random, dimension(), 1);
    }
}
