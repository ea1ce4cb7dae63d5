package org.l2o.api.testkit;

import java.util.random.RandomGenerator;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.Oracle;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small objectives with known minima for plugin tests. */
public final class TestObjectives {

    private TestObjectives() {
    }

    /**
     * {@code f(x) = 1/2 sum_i lambda_i (x_i - c_i)^2} with eigenvalues log-spaced in {@code [1, condition]},
     * a random centre and optimum value 0.
     */
    public static Objective quadratic(int dimension, double condition, long seed) {
        RandomGenerator r = Seeds.generator(seed);
        double[] lambda = new double[dimension];
        double[] centre = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            lambda[i] = dimension == 1 ? 1 : Math.pow(condition, (double) i / (dimension - 1));
            centre[i] = r.nextGaussian();
        }
        return new Objective() {
            @Override
            public String family() {
                return "test-quadratic";
            }

            @Override
            public ParameterLayout layout() {
                return ParameterLayout.single(dimension);
            }

            @Override
            public INDArray initialPoint(RandomGenerator random) {
                double[] x = new double[dimension];
                for (int i = 0; i < dimension; i++) {
                    x[i] = random.nextGaussian();
                }
                return Nd4j.createFromArray(x);
            }

            @Override
            public Evaluation evaluate(INDArray point) {
                double[] x = point.toDoubleVector();
                double[] g = new double[dimension];
                double f = 0;
                for (int i = 0; i < dimension; i++) {
                    double d = x[i] - centre[i];
                    f += 0.5 * lambda[i] * d * d;
                    g[i] = lambda[i] * d;
                }
                return new Evaluation(f, Nd4j.createFromArray(g));
            }
        };
    }

    /** An oracle over the true objective that counts nothing. */
    public static Oracle oracle(Objective objective) {
        return Oracle.uncounted(objective::evaluate);
    }
}
