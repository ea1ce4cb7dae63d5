package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.l2o.api.DenseVectors;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.FlatStateRule;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Contract tests for optimizer plugins: runs are deterministic, steps do not mutate their inputs
 * or the state they were given, an in-place path (where the rule has one) gives exactly the
 * iterates of the immutable one, a flat state (where the rule declares one) saved mid-run and
 * loaded again continues the run exactly, and the rule makes progress on a well-conditioned quadratic.
 */
public abstract class UpdateRuleContract extends ProviderContract<UpdateRuleProvider> {

    /** Parameters under which the rule should reduce {@link TestObjectives#quadratic} within 100 steps. */
    protected Map<String, String> convergentParameters() {
        return parameters();
    }

    protected UpdateRule rule(Map<String, String> raw) {
        return provider().create(provider().configure(raw), CreationContext.defaults());
    }

    @Test
    void specNamesTheProvider() {
        assertTrue(rule(parameters()).spec().startsWith(provider().id()), rule(parameters()).spec());
    }

    @Test
    void runsAreDeterministic() {
        Objective q = TestObjectives.quadratic(6, 10, 3);
        INDArray x0 = q.initialPoint(Seeds.generator(1));
        Rollout.Result a = Rollout.run(q, rule(parameters()), x0, 30, Seeds.generator(2));
        Rollout.Result b = Rollout.run(q, rule(parameters()), x0, 30, Seeds.generator(2));
        assertArrayEquals(a.values(), b.values(), 0.0);
        assertArrayEquals(a.finalPoint().toDoubleVector(), b.finalPoint().toDoubleVector(), 0.0);
    }

    @Test
    void stepLeavesInputsAndStateUntouched() {
        Objective q = TestObjectives.quadratic(5, 4, 1);
        UpdateRule rule = rule(parameters());
        INDArray x = q.initialPoint(Seeds.generator(1));
        RuleState state = rule.init(q.layout());
        // advance a few steps so the state is non-trivial
        Rollout.Result warm = Rollout.run(q, rule, x, 3, Seeds.generator(3));
        INDArray at = warm.finalPoint();
        var e = q.evaluate(at);
        double[] xCopy = at.toDoubleVector();
        double[] gCopy = e.gradient().toDoubleVector();
        var oracle = TestObjectives.oracle(q);
        var first = rule.step(new Observation(0, at, e.value(), e.gradient(), oracle), state);
        var second = rule.step(new Observation(0, at, e.value(), e.gradient(), oracle), state);
        assertArrayEquals(first.dx().toDoubleVector(), second.dx().toDoubleVector(), 0.0,
                "stepping twice from one state gave different steps: the rule mutates its state");
        assertArrayEquals(xCopy, at.toDoubleVector(), 0.0, "the rule modified the iterate");
        assertArrayEquals(gCopy, e.gradient().toDoubleVector(), 0.0, "the rule modified the gradient");
    }

    @Test
    void inPlaceUpdateGivesTheIteratesOfStep() {
        Assumptions.assumeTrue(rule(parameters()) instanceof InPlaceUpdateRule,
                provider().id() + " has no in-place path");
        Objective q = TestObjectives.quadratic(7, 10, 5);
        InPlaceUpdateRule rule = (InPlaceUpdateRule) rule(parameters());
        var oracle = TestObjectives.oracle(q);
        INDArray x = q.initialPoint(Seeds.generator(4));
        INDArray live = x.dup();
        RuleState immutable = rule.init(q.layout());
        RuleState owned = rule.initInPlace(q.layout());
        for (int t = 0; t < 20; t++) {
            var e = q.evaluate(x);
            var step = rule.step(new Observation(t, x, e.value(), e.gradient(), oracle), immutable);
            immutable = step.next();
            double[] next = DenseVectors.read(x);
            double[] dx = DenseVectors.read(step.dx());
            for (int i = 0; i < next.length; i++) {
                next[i] += dx[i];
            }
            x = Nd4j.createFromArray(next);
            var f = q.evaluate(live);
            double[] gCopy = f.gradient().toDoubleVector();
            double norm = rule.update(new Observation(t, live, f.value(), f.gradient(), oracle), owned);
            assertArrayEquals(next, live.toDoubleVector(), 0.0, "in-place iterate differs from step at step " + t);
            assertEquals(DenseVectors.norm2(dx), norm, 1e-12 * (1 + norm), "reported step norm at step " + t);
            assertArrayEquals(gCopy, f.gradient().toDoubleVector(), 0.0, "update modified the gradient");
        }
    }

    @Test
    void savedFlatStateContinuesTheRunExactly() {
        Assumptions.assumeTrue(rule(parameters()) instanceof FlatStateRule,
                provider().id() + " keeps no flat state");
        Objective q = TestObjectives.quadratic(6, 10, 9);
        FlatStateRule rule = (FlatStateRule) rule(parameters());
        var oracle = TestObjectives.oracle(q);
        INDArray x = q.initialPoint(Seeds.generator(5));
        RuleState state = rule.init(q.layout());
        for (int t = 0; t < 5; t++) {
            var e = q.evaluate(x);
            var step = rule.step(new Observation(t, x, e.value(), e.gradient(), oracle), state);
            state = step.next();
            x = x.add(step.dx());
        }
        long length = rule.stateLength(q.layout());
        assertTrue(length >= 0 && length < Integer.MAX_VALUE, "state length " + length);
        double[] saved = new double[(int) length + 3];
        java.util.Arrays.fill(saved, Double.NaN);
        rule.save(state, q.layout(), saved);
        for (int i = (int) length; i < saved.length; i++) {
            assertTrue(Double.isNaN(saved[i]), "save wrote past stateLength at " + i);
        }
        RuleState restored = rule.load(q.layout(), saved);
        java.util.Arrays.fill(saved, 0.0);
        INDArray y = x.dup();
        for (int t = 5; t < 15; t++) {
            var e = q.evaluate(x);
            var a = rule.step(new Observation(t, x, e.value(), e.gradient(), oracle), state);
            var b = rule.step(new Observation(t, y, e.value(), e.gradient(), oracle), restored);
            assertArrayEquals(a.dx().toDoubleVector(), b.dx().toDoubleVector(), 0.0,
                    "the restored state steps differently at step " + t);
            state = a.next();
            restored = b.next();
            x = x.add(a.dx());
            y = y.add(b.dx());
        }
    }

    @Test
    void aSavedInPlaceStateContinuesTheInPlaceRunExactly() {
        Assumptions.assumeTrue(rule(parameters()) instanceof FlatStateRule
                && rule(parameters()) instanceof InPlaceUpdateRule, provider().id() + " keeps no flat in-place state");
        Objective q = TestObjectives.quadratic(6, 10, 9);
        UpdateRule r = rule(parameters());
        FlatStateRule flat = (FlatStateRule) r;
        InPlaceUpdateRule ip = (InPlaceUpdateRule) r;
        var oracle = TestObjectives.oracle(q);
        INDArray x = q.initialPoint(Seeds.generator(5));
        RuleState state = ip.initInPlace(q.layout());
        for (int t = 0; t < 5; t++) {
            var e = q.evaluate(x);
            ip.update(new Observation(t, x, e.value(), e.gradient(), oracle), state);
        }
        double[] saved = new double[(int) flat.stateLength(q.layout())];
        flat.save(state, q.layout(), saved);
        RuleState restored = flat.loadInPlace(q.layout(), saved);
        INDArray y = x.dup();
        for (int t = 5; t < 15; t++) {
            var e = q.evaluate(x);
            ip.update(new Observation(t, x, e.value(), e.gradient(), oracle), state);
            ip.update(new Observation(t, y, e.value(), e.gradient().dup(), oracle), restored);
            assertArrayEquals(x.toDoubleVector(), y.toDoubleVector(), 0.0, "the restored in-place run differs at step " + t);
        }
    }

    @Test
    void reducesAWellConditionedQuadratic() {
        Objective q = TestObjectives.quadratic(10, 5, 7);
        INDArray x0 = q.initialPoint(Seeds.generator(1));
        Rollout.Result r = Rollout.run(q, rule(convergentParameters()), x0, 100, Seeds.generator(2));
        double start = r.values()[0];
        assertTrue(r.finalValue() < 0.1 * start, provider().id() + " went from " + start + " to " + r.finalValue());
    }
}
