package org.l2o.api.meta;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one meta-training iteration produced: the trainer's state for the next iteration, the
 * learned optimizer it would return now, its training cost (the loop stops the run when it is not
 * finite), the score that ranks candidates across iterations (lower is better; a candidate with a
 * score that is not finite is never kept as the best), the trainer's own metrics by name and how
 * long its phases took.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 *
 * @param next      the state for the next iteration
 * @param candidate the learned optimizer as it stands after this iteration
 * @param cost      training cost of the iteration, such as the mean sample cost per step
 * @param score     validation cost of the candidate, or the training cost where there is no validation
 * @param metrics   further metrics by name, in display order
 * @param durations time spent per phase by name (e.g. {@code sampling}), in display order
 * @param start     the optimizer meta-training started from, scored as the candidates are, where the
 *                  trainer validated it (at the first iteration), or null: a candidate then has to
 *                  beat it to be kept, so meta-training never returns something worse on validation
 *                  than where it began
 */
public record Iteration(TrainerState next, LearnedOptimizer candidate, double cost, double score,
                        Map<String, Double> metrics, Map<String, Duration> durations, Scored start) {
    public Iteration {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(candidate, "candidate");
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        durations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(durations));
    }

    /** An iteration that reports no starting optimizer. */
    public Iteration(TrainerState next, LearnedOptimizer candidate, double cost, double score,
                     Map<String, Double> metrics, Map<String, Duration> durations) {
        this(next, candidate, cost, score, metrics, durations, null);
    }

    /** A learned optimizer and its score (lower is better). */
    public record Scored(LearnedOptimizer candidate, double score) {
        public Scored {
            Objects.requireNonNull(candidate, "candidate");
        }
    }
}
