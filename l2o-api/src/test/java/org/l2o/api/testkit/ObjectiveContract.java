package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Contract tests for objective plugins: gradients agree with finite differences, sampling is
 * deterministic under a seed, train and test streams differ, shapes agree with the layout.
 */
public abstract class ObjectiveContract extends ProviderContract<ObjectiveProvider> {

    /** Context for creating the family (override to point at a data directory). */
    protected CreationContext context() {
        return CreationContext.defaults();
    }

    /** Whether different seeds give different objectives (false for fixed functions such as Rosenbrock). */
    protected boolean randomFamily() {
        return true;
    }

    /** Tolerance of the finite-difference gradient check. */
    protected double gradientTolerance() {
        return 1e-5;
    }

    protected ObjectiveFamily family() {
        return provider().create(provider().configure(parameters()), context());
    }

    /** A test point: the initial point plus a small perturbation, away from any special structure. */
    protected INDArray testPoint(Objective objective, long seed) {
        var random = Seeds.generator(seed);
        INDArray x = objective.initialPoint(random);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, x.getDouble(i) + 0.1 * random.nextGaussian());
        }
        return x;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        ObjectiveFamily family = family();
        for (int k = 0; k < 3; k++) {
            Objective objective = family.test(17, k);
            INDArray x = testPoint(objective, 100 + k);
            Evaluation e = objective.evaluate(x);
            FiniteDifferences.check(objective::value, x, e.gradient(), 40, gradientTolerance(), Seeds.generator(k),
                    provider().id() + " objective " + k);
            assertEquals(e.value(), objective.value(x), 1e-12 * Math.max(1, Math.abs(e.value())),
                    "value() and evaluate() disagree");
        }
    }

    @Test
    void minibatchGradientMatchesFiniteDifferences() {
        Objective objective = family().test(17, 0);
        if (!objective.stochastic()) {
            return;
        }
        INDArray x = testPoint(objective, 5);
        long batchSeed = 99;
        Evaluation e = objective.estimate(x, Seeds.generator(batchSeed));
        FiniteDifferences.check(p -> objective.estimate(p, Seeds.generator(batchSeed)).value(), x, e.gradient(), 40,
                gradientTolerance(), Seeds.generator(1), provider().id() + " minibatch estimate");
    }

    @Test
    void estimateIntoGivesEstimatesNumbersInTheCallersBuffer() {
        Objective objective = family().test(17, 1);
        INDArray x = testPoint(objective, 6);
        INDArray buffer = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, objective.dimension());
        for (long seed = 0; seed < 3; seed++) {
            Evaluation e = objective.estimate(x, Seeds.generator(seed));
            var random = Seeds.generator(seed);
            double value = objective.estimateInto(x, random, buffer);
            assertEquals(e.value(), value, 0.0, "estimateInto's value, minibatch seed " + seed);
            assertArrayEquals(e.gradient().toDoubleVector(), buffer.toDoubleVector(), 0.0,
                    "estimateInto's gradient, minibatch seed " + seed);
            // the same draws from the generator: the next minibatch agrees too
            var again = Seeds.generator(seed);
            objective.estimate(x, again);
            assertEquals(again.nextLong(), random.nextLong(), "estimateInto drew another number of values");
        }
        var wrong = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, objective.dimension() + 1);
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> objective.estimateInto(x, Seeds.generator(0), wrong));
        assertTrue(error.getMessage().contains(Integer.toString(objective.dimension() + 1)), error.getMessage());
    }

    @Test
    void shapesAgreeWithLayout() {
        Objective objective = family().test(3, 0);
        INDArray x = objective.initialPoint(Seeds.generator(1));
        assertEquals(objective.dimension(), x.length());
        assertEquals(1, x.rank());
        Evaluation e = objective.evaluate(x);
        assertEquals(objective.dimension(), e.gradient().length());
        assertTrue(Double.isFinite(e.value()), "value at the initial point is not finite");
        assertEquals(provider().id(), objective.family());
    }

    @Test
    void samplingIsDeterministicUnderSeed() {
        ObjectiveFamily a = family();
        ObjectiveFamily b = family();
        Objective oa = a.test(42, 3);
        Objective ob = b.test(42, 3);
        INDArray xa = oa.initialPoint(Seeds.generator(7));
        INDArray xb = ob.initialPoint(Seeds.generator(7));
        assertArrayEquals(xa.toDoubleVector(), xb.toDoubleVector(), 0.0);
        assertEquals(oa.value(xa), ob.value(xa), 0.0);
        assertArrayEquals(oa.evaluate(xa).gradient().toDoubleVector(), ob.evaluate(xa).gradient().toDoubleVector(), 0.0);
        if (oa.stochastic()) {
            assertEquals(oa.estimate(xa, Seeds.generator(5)).value(), ob.estimate(xa, Seeds.generator(5)).value(), 0.0);
        }
    }

    @Test
    void trainAndTestStreamsDiffer() {
        if (!randomFamily()) {
            return;
        }
        ObjectiveFamily f = family();
        Objective train = f.train(42, 0);
        Objective test = f.test(42, 0);
        Objective other = f.test(42, 1);
        // task families draw architectures too: objectives of other dimensions differ already
        INDArray x = train.initialPoint(Seeds.generator(1));
        if (test.dimension() == train.dimension()) {
            assertNotEquals(train.value(x), test.value(x), "train and test objective 0 coincide");
        }
        if (other.dimension() == test.dimension()) {
            INDArray y = test.initialPoint(Seeds.generator(1));
            assertNotEquals(test.value(y), other.value(y), "test objectives 0 and 1 coincide");
        }
    }

    /** Convenience for subclasses: a rank-1 double vector. */
    protected static INDArray vector(double... values) {
        return Nd4j.createFromArray(values);
    }
}
