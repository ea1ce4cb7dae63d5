package org.l2o.api.update;

import java.util.Objects;
import java.util.Optional;
import org.l2o.api.objective.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one update: the step vector, the state for the next step and, when the rule
 * already evaluated the objective at {@code x + dx} (a line search does), that evaluation so the
 * runner can reuse it instead of paying for it again.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record Step(INDArray dx, RuleState next, Optional<Evaluation> atNext) {
    public Step {
        Objects.requireNonNull(dx, "dx");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(atNext, "atNext");
    }

    public Step(INDArray dx, RuleState next) {
        this(dx, next, Optional.empty());
    }
}
