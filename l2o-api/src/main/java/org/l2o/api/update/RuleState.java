package org.l2o.api.update;

/**
 * The explicit state an update rule carries from one step to the next (moment estimates,
 * history, recurrent memory). Each rule defines its own immutable implementation; callers only
 * pass it back to the rule that made it.
 */
public interface RuleState {
}
