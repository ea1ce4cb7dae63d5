package org.l2o.runtime.run;

import org.l2o.api.CreationContext;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.DifferentiablePolicy;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyProvider;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.CoordinatewiseRule;
import org.l2o.api.update.PolicyRule;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.l2o.runtime.PluginRegistry;

/** Turns a learned optimizer (policy class, feature map, weights) into an update rule. */
public final class LearnedOptimizers {

    private LearnedOptimizers() {
    }

    /** The rule a learned optimizer runs, named {@code spec} in outputs. */
    public static UpdateRule rule(String spec, LearnedOptimizer optimizer, PluginRegistry registry,
                                  CreationContext context) {
        if (registry.policyClass(optimizer.policyClass()) instanceof CoordinatewisePolicyProvider c) {
            INDArray w = optimizer.weights().get("parameters");
            if (w == null) {
                throw new org.l2o.api.DataFormatException(spec + ": no 'parameters' weight array");
            }
            org.l2o.api.update.CoordinatewiseInputs inputs = null;
            if (registry.has(FeatureMapProvider.class, optimizer.featureMap())) {
                FeatureMapProvider fp = registry.get(FeatureMapProvider.class, optimizer.featureMap());
                FeatureMap map = fp.create(fp.configure(optimizer.featureParameters()), context);
                if (!(map instanceof org.l2o.api.update.CoordinatewiseInputs ci)) {
                    throw new org.l2o.api.DataFormatException(spec + ": feature map '" + optimizer.featureMap()
                            + "' gives no per-coordinate inputs for coordinatewise policy '" + optimizer.policyClass() + "'");
                }
                inputs = ci;
            }
            return new CoordinatewiseRule(spec, c.restore(c.configure(optimizer.policyParameters()), w), inputs);
        }
        PolicyProvider policies = registry.get(PolicyProvider.class, optimizer.policyClass());
        FeatureMapProvider features = registry.get(FeatureMapProvider.class, optimizer.featureMap());
        DifferentiablePolicy policy = policies.restore(policies.configure(optimizer.policyParameters()),
                optimizer.inputSize(), optimizer.actionSize(), optimizer.weights());
        FeatureMap map = features.create(features.configure(optimizer.featureParameters()), context);
        return new PolicyRule(spec, map, policy);
    }
}
