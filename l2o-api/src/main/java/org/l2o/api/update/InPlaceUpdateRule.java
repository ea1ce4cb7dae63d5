package org.l2o.api.update;

import org.l2o.api.objective.ParameterLayout;

/**
 * An update rule that can also apply its step in place, as PyTorch's optimizers do: the iterate
 * and a state owned by one run are overwritten instead of copied. Meta-training and benchmarks run
 * rules millions of times, and for elementwise rules the copies of the immutable path cost more
 * than the update itself. The in-place path must give exactly the iterates of {@link #step}
 * followed by {@code x + dx}; {@code UpdateRuleContract} checks it.
 */
public interface InPlaceUpdateRule extends UpdateRule {

    /** A state for {@link #update}: owned by one run, never shared, never passed to {@link #step}. */
    RuleState initInPlace(ParameterLayout layout);

    /**
     * Moves {@code observation.x()} by this rule's step and advances {@code state}, both in place.
     * The observation's gradient is not modified, and no reference to it is kept: run loops pass
     * one gradient buffer per run and overwrite it at the next step
     * ({@link org.l2o.api.objective.Objective#estimateInto}), so a rule copies what it keeps.
     *
     * @return the Euclidean norm of the step taken
     */
    double update(Observation observation, RuleState state);
}
