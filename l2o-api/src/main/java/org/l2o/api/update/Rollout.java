package org.l2o.api.update;

import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.NativeMemory;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an update rule on an objective (the loop of Li & Malik 2016, the formulation): observe, step, move. The
 * true objective is recorded at every iterate; what the rule observes comes from
 * {@link Objective#estimate}. A run stops early when the iterate or its value becomes non-finite.
 *
 * <p>Evaluations counted are those the optimizer consumed: one observation per step plus any
 * extra calls through the {@link Oracle}. For deterministic objectives an evaluation the rule made
 * at its own next iterate (as line searches do) is reused rather than paid for again.
 *
 * <p>Stateless and thread-safe: a run happens on the caller's thread, and the same rule, objective,
 * start and generator give the same trajectory bit for bit.
 */
public final class Rollout {

    /**
     * Receives each iterate as the run reaches it; step 0 is the starting point. {@code x} is the
     * run's live iterate (rules that update in place overwrite it): copy it to keep it.
     */
    @FunctionalInterface
    public interface Listener {
        void iterate(int step, INDArray x, double trueValue, double observedValue, double gradNorm,
                     double stepNorm, long evaluations);
    }

    /**
     * Result of a run.
     *
     * @param values      true objective at steps 0..k (k = steps, or less when the run stopped early)
     * @param finalPoint  the last iterate
     * @param evaluations objective evaluations the optimizer consumed
     */
    public record Result(double[] values, INDArray finalPoint, long evaluations) {
        /** True value at the last recorded step. */
        public double finalValue() {
            return values[values.length - 1];
        }

        /** Whether the run stopped before its horizon because values became non-finite. */
        public boolean stoppedEarly(int steps) {
            return values.length < steps + 1;
        }
    }

    private Rollout() {
    }

    /** Runs {@code steps} updates from {@code x0}; minibatches are drawn from {@code random}. */
    public static Result run(Objective objective, UpdateRule rule, INDArray x0, int steps, RandomGenerator random,
                             Listener listener) {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(rule, "rule");
        if (x0.length() != objective.dimension()) {
            throw new IllegalArgumentException("starting point has " + x0.length() + " coordinates, the objective "
                    + objective.dimension());
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        try (NativeMemory.Section section = NativeMemory.enter()) {
            return run(objective, rule, x0, steps, random, listener, section);
        }
    }

    private static Result run(Objective objective, UpdateRule rule, INDArray x0, int steps, RandomGenerator random,
                              Listener listener, NativeMemory.Section section) {
        CountingOracle oracle = new CountingOracle(objective, random);
        INDArray x = x0.dup();
        // Rules that can update in place own one state for the whole run and move x itself.
        InPlaceUpdateRule inPlace = rule instanceof InPlaceUpdateRule r ? r : null;
        RuleState state = inPlace != null ? inPlace.initInPlace(objective.layout()) : rule.init(objective.layout());
        double[] values = new double[steps + 1];
        // in-place rules keep no reference to the gradient, so the run reuses one buffer for it
        INDArray gradient = inPlace != null ? Nd4j.createUninitialized(DataType.DOUBLE, objective.dimension()) : null;
        Evaluation seen = gradient != null ? oracle.evaluateInto(x, gradient) : oracle.evaluate(x);
        double trueValue = objective.stochastic() ? objective.value(x) : seen.value();
        values[0] = trueValue;
        listener.iterate(0, x, trueValue, seen.value(), DenseVectors.norm2(seen.gradient()), 0.0, oracle.evaluations());
        int t = 0;
        while (t < steps && Double.isFinite(trueValue) && Double.isFinite(seen.value())) {
            section.checkpoint(); // the last step's native calls have returned
            Observation observation = new Observation(t, x, seen.value(), seen.gradient(), oracle);
            double stepNorm;
            Optional<Evaluation> atNext = Optional.empty();
            if (inPlace != null) {
                stepNorm = inPlace.update(observation, state);
            } else {
                Step step = rule.step(observation, state);
                double[] dx = DenseVectors.read(step.dx());
                x = DenseVectors.sum(x, dx);
                stepNorm = DenseVectors.norm2(dx);
                state = step.next();
                atNext = step.atNext();
            }
            t++;
            if (!Double.isFinite(stepNorm)) {
                values[t] = Double.NaN;
                listener.iterate(t, x, Double.NaN, Double.NaN, Double.NaN, stepNorm, oracle.evaluations());
                return new Result(java.util.Arrays.copyOf(values, t + 1), x, oracle.evaluations());
            }
            seen = gradient != null ? oracle.evaluateInto(x, gradient)
                    : atNext.filter(e -> !objective.stochastic()).orElseGet(oracle.evaluateAt(x));
            trueValue = objective.stochastic() ? objective.value(x) : seen.value();
            values[t] = trueValue;
            listener.iterate(t, x, trueValue, seen.value(), DenseVectors.norm2(seen.gradient()), stepNorm,
                    oracle.evaluations());
        }
        return new Result(t == steps ? values : java.util.Arrays.copyOf(values, t + 1), x, oracle.evaluations());
    }

    /** Runs without a listener. */
    public static Result run(Objective objective, UpdateRule rule, INDArray x0, int steps, RandomGenerator random) {
        return run(objective, rule, x0, steps, random, (s, x, v, o, g, d, e) -> { });
    }

    private static final class CountingOracle implements Oracle {
        private final Objective objective;
        private final RandomGenerator random;
        private long count;

        CountingOracle(Objective objective, RandomGenerator random) {
            this.objective = objective;
            this.random = random;
        }

        @Override
        public Evaluation evaluate(INDArray x) {
            count++;
            return objective.estimate(x, random);
        }

        /** An estimate whose gradient is written into the run's buffer. */
        Evaluation evaluateInto(INDArray x, INDArray gradient) {
            count++;
            return new Evaluation(objective.estimateInto(x, random, gradient), gradient);
        }

        java.util.function.Supplier<Evaluation> evaluateAt(INDArray x) {
            return () -> evaluate(x);
        }

        @Override
        public long evaluations() {
            return count;
        }
    }
}
