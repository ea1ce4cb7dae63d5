package org.l2o.objectives.synthetic;

import java.util.random.RandomGenerator;
import org.l2o.api.objective.ParameterLayout;

/**
 * The n-dimensional Rosenbrock function {@code sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2}, minimum 0
 * at (1, ..., 1). The start is the classic (-1.2, 1, -1.2, 1, ...) plus optional Gaussian noise.
 */
final class Rosenbrock extends DenseObjective {

    private final double initNoise;

    Rosenbrock(String id, int n, double initNoise) {
        super(id, ParameterLayout.single(n));
        this.initNoise = initNoise;
    }

    @Override
    double compute(double[] x, double[] g) {
        double f = 0;
        if (g != null) {
            java.util.Arrays.fill(g, 0);
        }
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
            if (g != null) {
                g[i] += -400 * a * x[i] - 2 * b;
                g[i + 1] += 200 * a;
            }
        }
        return f;
    }

    @Override
    double[] start(RandomGenerator random) {
        double[] x = new double[dimension()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? -1.2 : 1.0) + initNoise * random.nextGaussian();
        }
        return x;
    }
}
