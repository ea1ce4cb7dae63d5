package org.l2o.kernels;

import java.util.Objects;
import org.l2o.api.ConfigurationException;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureState;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.StochasticPolicy;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A learned optimizer as an update rule: features of the observation history, then the policy's
 * mean action as the step (the learned method runs stand-alone at test time, Li & Malik 2016, the policy).
 * Immutable and thread-safe; the feature history is the rule state.
 */
public final class PolicyRule implements UpdateRule {

    private final String spec;
    private final FeatureMap features;
    private final StochasticPolicy policy;

    public PolicyRule(String spec, FeatureMap features, StochasticPolicy policy) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.features = Objects.requireNonNull(features, "features");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String spec() {
        return spec;
    }

    /** The policy this rule runs. */
    public StochasticPolicy policy() {
        return policy;
    }

    /** The feature map this rule runs. */
    public FeatureMap features() {
        return features;
    }

    private record State(FeatureState history) implements RuleState {
    }

    @Override
    public RuleState init(ParameterLayout layout) {
        int in = features.size(layout);
        if (in != policy.inputSize() || layout.dimension() != policy.actionSize()) {
            throw new ConfigurationException(spec + ": the policy maps " + policy.inputSize() + " features to "
                    + policy.actionSize() + " actions, but this objective gives " + in + " features for "
                    + layout.dimension() + " parameters");
        }
        return new State(features.init(layout));
    }

    @Override
    public Step step(Observation observation, RuleState state) {
        FeatureState history = features.push(((State) state).history(), observation);
        INDArray phi = features.features(history);
        INDArray dx = policy.mean(phi.reshape(1, phi.length())).reshape(policy.actionSize());
        return new Step(dx, new State(history));
    }
}
