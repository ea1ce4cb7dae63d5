package org.l2o.api.update;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stochastic policy whose mean is differentiable in its parameters and inputs, for the
 * supervised policy regression of GPS (Levine et al. 2016, policy regression), its linearisation (Montgomery & Levine 2016; Levine et al. 2016) and
 * BPTT. Immutable: every {@code with...} method returns a new policy.
 */
public interface DifferentiablePolicy extends StochasticPolicy {

    /** The flat vector of trainable parameters (a copy). */
    INDArray parameters();

    /** The same policy with other trainable parameters. */
    DifferentiablePolicy withParameters(INDArray parameters);

    /**
     * Gradient of {@code sum(meanGradient .* mean(features))} with respect to the trainable parameters:
     * the vector-Jacobian product for an upstream gradient {@code [batch, actionSize]}.
     */
    INDArray parameterGradient(INDArray features, INDArray meanGradient);

    /**
     * Mean actions and the parameter gradient for the upstream gradient {@code upstream(mean)}, in one
     * forward pass where the policy supports it (regression losses need the mean to form the upstream
     * gradient). Returns {@code {mean, gradient}}.
     */
    default INDArray[] meanAndParameterGradient(INDArray features, java.util.function.UnaryOperator<INDArray> upstream) {
        INDArray mu = mean(features);
        return new INDArray[] {mu, parameterGradient(features, upstream.apply(mu))};
    }

    /** The same vector-Jacobian product with respect to the features, {@code [batch, inputSize]}. */
    INDArray inputGradient(INDArray features, INDArray meanGradient);

    /** The same policy with another (state-independent) action covariance {@code [actionSize, actionSize]}. */
    DifferentiablePolicy withCovariance(INDArray covariance);

    /**
     * The same policy with inputs normalised as {@code (features - shift) * scale} before the network
     * (whitening fixed at the first regression, Levine et al. 2016, policy regression).
     */
    DifferentiablePolicy withInputNormalization(INDArray shift, INDArray scale);

    /** Everything needed to restore the policy with its provider: named arrays. */
    Map<String, INDArray> weights();
}
