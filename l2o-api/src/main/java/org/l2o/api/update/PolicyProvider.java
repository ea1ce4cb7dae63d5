package org.l2o.api.update;

import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Service interface of policy classes (the network families a learned optimizer can use, such as
 * the MLP of Li and Malik 2016) that map the features of the whole problem to a Gaussian action.
 * Meta-trainers reach such policies only through this interface.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they
 * create is deterministic for a given configuration and seed.
 */
public interface PolicyProvider extends PolicyClassProvider {

    @Override
    default Set<PolicyCapability> capabilities() {
        return Set.of(PolicyCapability.STOCHASTIC, PolicyCapability.DIFFERENTIABLE);
    }


    /** A freshly initialised policy mapping {@code inputSize} features to {@code actionSize} actions. */
    DifferentiablePolicy create(Config config, int inputSize, int actionSize, RandomGenerator random);

    /** A policy restored from the arrays its {@link DifferentiablePolicy#weights()} returned. */
    DifferentiablePolicy restore(Config config, int inputSize, int actionSize, Map<String, INDArray> weights);
}
