package org.l2o.api.update;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stochastic policy whose mean is differentiable in its parameters, for the supervised policy
 * regression of GPS (spec section 3.6) and for BPTT. Immutable: new parameters give a new policy.
 */
public interface DifferentiablePolicy extends StochasticPolicy {

    /** The flat parameter vector (a copy). */
    INDArray parameters();

    /** The same policy class with other parameters. */
    DifferentiablePolicy withParameters(INDArray parameters);

    /**
     * Gradient of {@code sum(meanGradient .* mean(features))} with respect to the parameters, i.e.
     * the vector-Jacobian product for an upstream gradient of the mean actions.
     */
    INDArray parameterGradient(INDArray features, INDArray meanGradient);
}
