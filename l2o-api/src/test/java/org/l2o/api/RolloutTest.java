package org.l2o.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.factory.Nd4j;

class RolloutTest {

    /** Gradient descent with a fixed step, written inline so the loop is tested on its own. */
    static UpdateRule gd(double lr) {
        return new UpdateRule() {
            public String spec() {
                return "gd";
            }

            public RuleState init(ParameterLayout layout) {
                return new RuleState() { };
            }

            public Step step(Observation o, RuleState s) {
                return new Step(o.gradient().mul(-lr), s);
            }
        };
    }

    @Test
    void recordsEveryIterateAndCountsEvaluations() {
        var q = TestObjectives.quadratic(3, 1, 0); // identity Hessian
        var x0 = q.initialPoint(Seeds.generator(1));
        List<Integer> steps = new ArrayList<>();
        var r = Rollout.run(q, gd(0.5), x0, 4, Seeds.generator(1), (s, x, v, o, g, d, e) -> steps.add(s));
        assertEquals(List.of(0, 1, 2, 3, 4), steps);
        assertEquals(5, r.evaluations());
        // On f = |x - c|^2 / 2 a step of 0.5 halves the distance: values fall by 4x per step.
        for (int t = 1; t <= 4; t++) {
            assertEquals(r.values()[t - 1] / 4, r.values()[t], 1e-12);
        }
    }

    @Test
    void stopsWhenTheIterateBlowsUp() {
        var q = TestObjectives.quadratic(2, 1, 0);
        var r = Rollout.run(q, gd(1e200), q.initialPoint(Seeds.generator(1)), 50, Seeds.generator(1));
        assertTrue(r.stoppedEarly(50));
        assertTrue(!Double.isFinite(r.finalValue()));
    }

    @Test
    void rejectsAStartOfTheWrongLength() {
        var q = TestObjectives.quadratic(3, 1, 0);
        assertThrows(IllegalArgumentException.class,
                () -> Rollout.run(q, gd(0.1), Nd4j.createFromArray(1.0, 2.0), 3, Seeds.generator(1)));
    }
}
