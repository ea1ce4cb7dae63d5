package org.l2o.api.update;

import org.l2o.api.objective.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lets an update rule evaluate the objective at extra points, as line searches do. It returns
 * what the optimizer may see (a minibatch estimate for stochastic objectives) and counts every
 * call, so methods that evaluate several times per step are compared fairly.
 *
 * <p>Belongs to one run and is used on its thread; it counts the evaluations it makes.
 */
public interface Oracle {

    /** Observed value and gradient at {@code x}; counts one evaluation. */
    Evaluation evaluate(INDArray x);

    /** Evaluations made so far in this run, including those of the runner. */
    long evaluations();

    /**
     * An oracle that evaluates with {@code evaluate} and counts nothing: for meta-training's inner
     * runs, where no budget of evaluations is compared.
     */
    static Oracle uncounted(java.util.function.Function<INDArray, Evaluation> evaluate) {
        return new Oracle() {
            @Override
            public Evaluation evaluate(INDArray x) {
                return evaluate.apply(x);
            }

            @Override
            public long evaluations() {
                return 0;
            }
        };
    }
}
