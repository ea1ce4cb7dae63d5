package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.Provenance;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Contract tests for coordinatewise policy classes: backpropagation through recorded steps agrees
 * with finite differences, creation is deterministic under a seed, restoring from
 * {@code parameters()} gives the same steps, and the rule the class restores from a learned
 * optimizer moves the iterate in place exactly as its pure step does.
 */
public abstract class CoordinatewisePolicyContract extends ProviderContract<CoordinatewisePolicyProvider> {

    /** Coordinates of the checks. */
    protected int coordinates() {
        return 5;
    }

    /** Steps recorded for backpropagation. */
    protected int unroll() {
        return 3;
    }

    /** The feature map a learned optimizer of this class runs with; empty for policies fed the gradient. */
    protected Optional<FeatureMap> features() {
        return Optional.empty();
    }

    protected CoordinatewisePolicy policy(long seed) {
        return provider().create(provider().configure(parameters()), Seeds.generator(seed));
    }

    /**
     * The inputs of one step of the checks: {@code size} values per coordinate, feature-major,
     * Gaussian at {@code scale}. A class whose inputs promise more (channels equal for every
     * coordinate of a step, such as time features) overrides this to draw inputs that keep it.
     */
    protected double[] inputs(RandomGenerator r, int coordinates, int size, double scale) {
        return gaussian(r, coordinates * size, scale);
    }

    private static double[] gaussian(RandomGenerator r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    /** {@code sum_t sum_j g[t][j] step_t[j]} over the unroll, from a zero state, with these parameters. */
    private double weightedSteps(CoordinatewisePolicy p, double[][] inputs, double[][] g) {
        double[] state = new double[coordinates() * p.stateSize()];
        double total = 0;
        for (int t = 0; t < inputs.length; t++) {
            double[] next = new double[state.length];
            double[] step = p.step(inputs[t], state, next, null);
            state = next;
            for (int j = 0; j < step.length; j++) {
                total += g[t][j] * step[j];
            }
        }
        return total;
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferences() {
        CoordinatewisePolicy p = policy(2);
        RandomGenerator r = Seeds.generator(3);
        p = p.withParameters(p.parameters().add(Nd4j.createFromArray(gaussian(r, (int) p.parameters().length(), 0.05))));
        double[][] inputs = new double[unroll()][];
        double[][] g = new double[unroll()][];
        for (int t = 0; t < unroll(); t++) {
            inputs[t] = inputs(r, coordinates(), p.inputSize(), 0.5);
            g[t] = gaussian(r, coordinates(), 1);
        }
        CoordinatewisePolicy.Tape tape = p.newTape(coordinates());
        double[] state = new double[coordinates() * p.stateSize()];
        for (int t = 0; t < unroll(); t++) {
            double[] next = new double[state.length];
            p.step(inputs[t], state, next, tape);
            state = next;
        }
        INDArray grad = Nd4j.createFromArray(p.backward(tape, g));
        CoordinatewisePolicy base = p;
        FiniteDifferences.check(theta -> weightedSteps(base.withParameters(theta), inputs, g), p.parameters(), grad,
                60, 1e-5, r, provider().id() + " BPTT gradient");
    }

    @Test
    void creationIsDeterministicAndRestoreGivesTheSameSteps() {
        CoordinatewisePolicy a = policy(7);
        assertArrayEquals(a.parameters().toDoubleVector(), policy(7).parameters().toDoubleVector(), 0.0);
        CoordinatewisePolicy b = provider().restore(provider().configure(parameters()), a.parameters());
        double[] inputs = inputs(Seeds.generator(8), coordinates(), a.inputSize(), 1);
        double[] s = new double[coordinates() * a.stateSize()];
        assertArrayEquals(a.step(inputs, s, new double[s.length], null), b.step(inputs, s, new double[s.length], null),
                0.0, provider().id() + ": restored policy steps differently");
    }

    @Test
    void theRestoredRuleMovesInPlaceExactlyAsItsPureStep() {
        CoordinatewisePolicy p = policy(9);
        LearnedOptimizer lo = new LearnedOptimizer(provider().id(), provider().configure(parameters()).text(),
                features().isPresent() ? "contract" : "none", Map.of(), Math.max(1, p.inputSize()), coordinates(),
                Map.of("parameters", p.parameters()), new Provenance("contract", Map.of(), "test", Map.of(), 1, 1, 0,
                        "dev", "17", java.time.Instant.EPOCH));
        UpdateRule rule = provider().rule("contract", lo, features());
        if (!(rule instanceof InPlaceUpdateRule inPlace)) {
            return; // only the pure step to check, which the other tests cover
        }
        Objective f = TestObjectives.quadratic(coordinates(), 10, 4);
        INDArray start = f.initialPoint(Seeds.generator(5));
        INDArray x = start.dup();
        RuleState s = rule.init(f.layout());
        INDArray y = start.dup();
        RuleState t = inPlace.initInPlace(f.layout());
        for (int k = 0; k < 8; k++) {
            Evaluation e = f.evaluate(x);
            var step = rule.step(new Observation(k, x, e.value(), e.gradient(), TestObjectives.oracle(f)), s);
            x = x.add(step.dx());
            s = step.next();
            Evaluation e2 = f.evaluate(y);
            inPlace.update(new Observation(k, y, e2.value(), e2.gradient(), TestObjectives.oracle(f)), t);
            assertArrayEquals(x.toDoubleVector(), y.toDoubleVector(), 0.0,
                    provider().id() + ": in-place iterate differs from the pure step's at step " + k);
        }
        assertTrue(x.sub(start).norm2Number().doubleValue() > 0, "the rule never moved");
    }
}
