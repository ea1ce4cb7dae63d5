package org.l2o.api.update;

import java.util.Optional;
import java.util.Set;
import org.l2o.api.PluginProvider;
import org.l2o.api.meta.LearnedOptimizer;

/**
 * Service interface of policy classes: the network families a learned optimizer can use. Every
 * policy class restores a learned optimizer of its own class into an {@link UpdateRule}, so the
 * runtime runs any learned file the same way; what else it offers a meta-trainer is stated by
 * {@link #capabilities()} and by the sub-interface it implements ({@link PolicyProvider} for
 * {@link PolicyCapability#STOCHASTIC} policies on whole-problem features,
 * {@link CoordinatewisePolicyProvider} for {@link PolicyCapability#COORDINATEWISE} ones).
 *
 * <p>Providers are stateless and thread-safe (see {@link PluginProvider}); the rules they return
 * are immutable and deterministic.
 */
public interface PolicyClassProvider extends PluginProvider {

    @Override
    default String kind() {
        return "policy";
    }

    /** What this class offers meta-trainers. */
    Set<PolicyCapability> capabilities();

    /**
     * The update rule {@code optimizer} (a learned optimizer of this class) runs, named {@code name}
     * in outputs.
     *
     * @param features the feature map the optimizer was trained with, created from its recorded
     *                 parameters, or empty where it names none (its policy reads the gradient)
     * @throws org.l2o.api.DataFormatException if the weights or features do not fit this class
     */
    UpdateRule rule(String name, LearnedOptimizer optimizer, Optional<FeatureMap> features);
}
