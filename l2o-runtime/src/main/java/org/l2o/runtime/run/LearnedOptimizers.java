package org.l2o.runtime.run;

import java.util.Optional;
import org.l2o.api.CreationContext;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;

/** Turns a learned optimizer (policy class, feature map, weights) into an update rule. */
public final class LearnedOptimizers {

    /** What a learned optimizer whose policy reads the gradient itself records as its feature map. */
    public static final String NO_FEATURES = "none";

    private LearnedOptimizers() {
    }

    /** The rule a learned optimizer runs, named {@code spec} in outputs; its policy class restores it. */
    public static UpdateRule rule(String spec, LearnedOptimizer optimizer, PluginRegistry registry,
                                  CreationContext context) {
        Optional<FeatureMap> features = Optional.empty();
        if (!optimizer.featureMap().equals(NO_FEATURES)) {
            FeatureMapProvider fp = registry.get(FeatureMapProvider.class, optimizer.featureMap());
            features = Optional.of(fp.create(fp.configure(optimizer.featureParameters()), context));
        }
        return registry.policyClass(optimizer.policyClass()).rule(spec, optimizer, features);
    }
}
