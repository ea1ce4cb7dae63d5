package org.l2o.api.update;

import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Service interface of coordinatewise recurrent policy classes (the optimizer network of supervised BPTT).
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface CoordinatewisePolicyProvider extends PolicyClassProvider {

    @Override
    default Set<PolicyCapability> capabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE, PolicyCapability.DIFFERENTIABLE);
    }


    /** A freshly initialised network. */
    CoordinatewisePolicy create(Config config, RandomGenerator random);

    /** A network with the given parameters (as {@link CoordinatewisePolicy#parameters()} returned them). */
    CoordinatewisePolicy restore(Config config, INDArray parameters);
}
