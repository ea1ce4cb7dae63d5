package org.l2o.api.update;

import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.DataFormatException;
import org.l2o.api.meta.LearnedOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Service interface of coordinatewise recurrent policy classes (the optimizer network of supervised BPTT). */
public interface CoordinatewisePolicyProvider extends PolicyClassProvider {

    @Override
    default Set<PolicyCapability> capabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE, PolicyCapability.DIFFERENTIABLE);
    }

    /**
     * The network on every coordinate ({@link CoordinatewiseRule}), fed the optimizer's per-coordinate
     * features, or the gradient where it names no feature map.
     */
    @Override
    default UpdateRule rule(String name, LearnedOptimizer optimizer, Optional<FeatureMap> features) {
        INDArray w = optimizer.weights().get("parameters");
        if (w == null) {
            throw new DataFormatException(name + ": no 'parameters' weight array");
        }
        CoordinatewiseInputs inputs = null;
        if (features.isPresent()) {
            if (!(features.get() instanceof CoordinatewiseInputs ci)) {
                throw new DataFormatException(name + ": feature map '" + optimizer.featureMap()
                        + "' gives no per-coordinate inputs for coordinatewise policy '" + id() + "'");
            }
            inputs = ci;
        }
        return new CoordinatewiseRule(name, restore(configure(optimizer.policyParameters()), w), inputs);
    }

    /** A freshly initialised network. */
    CoordinatewisePolicy create(Config config, RandomGenerator random);

    /** A network with the given parameters (as {@link CoordinatewisePolicy#parameters()} returned them). */
    CoordinatewisePolicy restore(Config config, INDArray parameters);
}
