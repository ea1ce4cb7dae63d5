package org.l2o.api.update;

import org.l2o.api.objective.ParameterLayout;

/**
 * An optimizer as a pure step function (Li & Malik 2016, the formulation): {@code step(observation, state) ->
 * (dx, next state)}, with the iterate moving to {@code x + dx}. The rule object holds only its
 * hyperparameters or learned weights and is immutable and thread-safe, so one rule can drive many
 * runs at once; all per-run memory lives in the {@link RuleState} it returns. A rule is
 * deterministic: equal observations and states give equal steps.
 */
public interface UpdateRule {

    /** The specification this rule was created from, e.g. {@code adam:lr=0.01}. */
    String spec();

    /** State before the first step of a run on parameters with this layout. */
    RuleState init(ParameterLayout layout);

    /** One update. Must not modify the arrays of the observation or of {@code state}. */
    Step step(Observation observation, RuleState state);
}
