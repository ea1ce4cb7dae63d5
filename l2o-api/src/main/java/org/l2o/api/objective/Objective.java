package org.l2o.api.objective;

import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A function to minimise. Points and gradients are rank-1 {@code DOUBLE} arrays of length
 * {@link #dimension()}.
 *
 * <p>Implementations are immutable after construction and thread-safe: all randomness comes
 * from the generators passed in, so equal generators give equal results. {@link #evaluate} is
 * the <em>true</em> objective (full batch), used as the cost and in every reported value;
 * {@link #estimate} is what an optimizer observes, a minibatch estimate for stochastic objectives.
 */
public interface Objective {

    /** Id of the family this objective was sampled from. */
    String family();

    /** Coordinate groups of the parameter vector. */
    ParameterLayout layout();

    /** Number of parameters. */
    default int dimension() {
        return layout().dimension();
    }

    /** A starting point drawn from the family's initial-point distribution. */
    INDArray initialPoint(RandomGenerator random);

    /** True objective value and gradient at {@code x}. */
    Evaluation evaluate(INDArray x);

    /** True objective value at {@code x}; objectives may override it with something cheaper. */
    default double value(INDArray x) {
        return evaluate(x).value();
    }

    /** Whether {@link #estimate} differs from {@link #evaluate}. */
    default boolean stochastic() {
        return false;
    }

    /**
     * What an optimizer sees at {@code x}: for stochastic objectives a minibatch estimate drawn with
     * {@code random}, otherwise the true value and gradient.
     */
    default Evaluation estimate(INDArray x, RandomGenerator random) {
        return evaluate(x);
    }

    /**
     * {@link #estimate} with the gradient written into {@code gradient}, a caller-owned double
     * vector of {@link #dimension()} values that is overwritten; returns the value. Run loops call
     * it once per step with one buffer per run, so an objective that overrides it (as the MLP
     * classifier does) allocates no gradient per step; it must give exactly estimate's numbers and
     * draw the same minibatch from {@code random}.
     */
    default double estimateInto(INDArray x, RandomGenerator random, INDArray gradient) {
        if (gradient.length() != dimension()) {
            throw new IllegalArgumentException("gradient buffer has " + gradient.length() + " values, the objective "
                    + dimension());
        }
        Evaluation e = estimate(x, random);
        DenseVectors.write(DenseVectors.read(e.gradient()), gradient);
        return e.value();
    }
}
