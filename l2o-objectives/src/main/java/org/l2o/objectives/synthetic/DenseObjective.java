package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An objective computed on plain arrays; subclasses implement one value-and-gradient routine. */
abstract class DenseObjective implements Objective {

    private final String family;
    private final ParameterLayout layout;

    DenseObjective(String family, ParameterLayout layout) {
        this.family = family;
        this.layout = layout;
    }

    /** Value at {@code x}; writes the gradient into {@code grad} unless it is {@code null}. */
    abstract double compute(double[] x, double[] grad);

    /** Draws the initial point into a fresh array. */
    abstract double[] start(RandomGenerator random);

    @Override
    public final String family() {
        return family;
    }

    @Override
    public final ParameterLayout layout() {
        return layout;
    }

    @Override
    public INDArray initialPoint(RandomGenerator random) {
        return DenseVectors.of(start(random));
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        double[] g = new double[dimension()];
        double f = compute(x.toDoubleVector(), g);
        return new Evaluation(f, DenseVectors.of(g));
    }

    @Override
    public double value(INDArray x) {
        return compute(x.toDoubleVector(), null);
    }

    static double[] gaussian(RandomGenerator r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    /**
     * Draws {@code count} points from N(mean, A A^T / d + 0.01 I) with A of iid standard normals: a
     * random, well-defined covariance for the unverified "random covariances" of Li & Malik 2016, the problem classes of the experiments.
     */
    static double[][] gaussianCluster(RandomGenerator r, double[] mean, int count) {
        int d = mean.length;
        double[][] a = new double[d][d];
        for (double[] row : a) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        // Cholesky-free sampling: x = mean + A z / sqrt(d) + 0.1 w has covariance A A^T / d + 0.01 I.
        double[][] out = new double[count][d];
        for (int n = 0; n < count; n++) {
            double[] z = gaussian(r, d, 1);
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += a[i][j] * z[j];
                }
                out[n][i] = mean[i] + s / Math.sqrt(d) + 0.1 * r.nextGaussian();
            }
        }
        return out;
    }
}
