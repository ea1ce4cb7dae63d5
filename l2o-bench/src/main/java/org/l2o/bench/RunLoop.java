package org.l2o.bench;

import org.l2o.api.DenseVectors;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run's iterate and rule state, advanced the way {@code Rollout} advances them: in place
 * where the rule can, otherwise through the immutable step and {@code x + dx}.
 */
final class RunLoop {

    /** An oracle for rules that never ask for extra evaluations. */
    static final Oracle NO_EXTRA_EVALUATIONS = new Oracle() {
        @Override
        public Evaluation evaluate(INDArray point) {
            throw new UnsupportedOperationException("this benchmark's rules ask for no extra evaluation");
        }

        @Override
        public long evaluations() {
            return 0;
        }
    };

    private final UpdateRule rule;
    private final InPlaceUpdateRule inPlace;
    private final Oracle oracle;
    private RuleState state;
    private INDArray x;
    private int t;

    RunLoop(UpdateRule rule, ParameterLayout layout, INDArray x0, Oracle oracle) {
        this.rule = rule;
        this.inPlace = rule instanceof InPlaceUpdateRule r ? r : null;
        this.state = inPlace != null ? inPlace.initInPlace(layout) : rule.init(layout);
        this.x = x0.dup();
        this.oracle = oracle;
    }

    INDArray x() {
        return x;
    }

    /** One update from the observation {@code (value, gradient)} at the current iterate; the step norm. */
    double step(double value, INDArray gradient) {
        Observation o = new Observation(t++, x, value, gradient, oracle);
        if (inPlace != null) {
            return inPlace.update(o, state);
        }
        Step step = rule.step(o, state);
        double[] dx = DenseVectors.read(step.dx());
        x = DenseVectors.sum(x, dx);
        state = step.next();
        return DenseVectors.norm2(dx);
    }
}
