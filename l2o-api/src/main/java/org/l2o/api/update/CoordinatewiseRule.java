package org.l2o.api.update;

import java.util.Objects;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.ParameterLayout;

/**
 * A coordinatewise recurrent policy run as an optimizer: each step feeds the observed gradient to
 * the network and takes its output as the step. The recurrent state is the rule state.
 */
public final class CoordinatewiseRule implements UpdateRule {

    private final String spec;
    private final CoordinatewisePolicy policy;

    public CoordinatewiseRule(String spec, CoordinatewisePolicy policy) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String spec() {
        return spec;
    }

    private record State(double[] recurrent) implements RuleState {
    }

    @Override
    public RuleState init(ParameterLayout layout) {
        return new State(new double[layout.dimension() * policy.stateSize()]);
    }

    @Override
    public Step step(Observation observation, RuleState state) {
        double[] next = new double[((State) state).recurrent().length];
        double[] dx = policy.step(observation.gradient().toDoubleVector(), ((State) state).recurrent(), next, null);
        return new Step(DenseVectors.of(dx), new State(next));
    }
}
