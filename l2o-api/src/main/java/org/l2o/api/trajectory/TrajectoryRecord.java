package org.l2o.api.trajectory;

/**
 * One step of one run. Step 0 is the starting point.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 *
 * @param runId         unique id of the run within its output
 * @param optimizer     the optimizer SPEC as given
 * @param objective     objective family id
 * @param seed          index of the objective/seed within the experiment
 * @param step          step index
 * @param value         true objective value
 * @param observedValue what the optimizer saw (minibatch estimate for stochastic objectives)
 * @param gradNorm      Euclidean norm of the observed gradient
 * @param stepNorm      Euclidean norm of the step that led here (0 at step 0)
 * @param evaluations   cumulative objective evaluations the optimizer made
 * @param wallNanos     wall time since the run started
 */
public record TrajectoryRecord(String runId, String optimizer, String objective, long seed, int step,
                               double value, double observedValue, double gradNorm, double stepNorm,
                               long evaluations, long wallNanos) {
}
