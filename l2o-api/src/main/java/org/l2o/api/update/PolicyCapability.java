package org.l2o.api.update;

/**
 * What a policy class offers a meta-trainer; a trainer declares the capabilities it needs
 * ({@link org.l2o.api.meta.MetaTrainerProvider#requiredCapabilities()}) and the runtime checks them
 * before any work, so a trainer never has to guess a policy's kind.
 *
 * <p>Immutable.
 */
public enum PolicyCapability {
    /** Maps one feature vector of the whole problem to a Gaussian action: {@link PolicyProvider}. */
    STOCHASTIC,
    /** Gives gradients of its outputs with respect to its parameters (policy regression, BPTT). */
    DIFFERENTIABLE,
    /**
     * One small network applied to every coordinate with parameters shared (or tied per coordinate
     * group), independent of the problem's dimension: {@link CoordinatewisePolicyProvider}.
     */
    COORDINATEWISE;

    /** The name used in messages, e.g. {@code coordinatewise}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
