package org.l2o.api.update;

import java.util.Objects;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.ParameterLayout;

/**
 * A coordinatewise recurrent policy run as an optimizer: each step feeds the observed gradient to
 * the network and takes its output as the step. The recurrent state is the rule state, with the
 * policy bound to the objective's layout ({@link CoordinatewisePolicy#bind}). In place, the run's
 * state keeps two recurrent buffers and swaps them.
 */
public final class CoordinatewiseRule implements InPlaceUpdateRule {

    private final String spec;
    private final CoordinatewisePolicy policy;

    public CoordinatewiseRule(String spec, CoordinatewisePolicy policy) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public String spec() {
        return spec;
    }

    private record State(CoordinatewisePolicy bound, double[] recurrent) implements RuleState {
    }

    /** The in-place state: the bound policy, the current and the spare recurrent buffer, the iterate. */
    private static final class Buffers implements RuleState {
        final CoordinatewisePolicy bound;
        double[] recurrent;
        double[] spare;
        double[] x;

        Buffers(CoordinatewisePolicy bound, int size) {
            this.bound = bound;
            this.recurrent = new double[size];
            this.spare = new double[size];
        }
    }

    @Override
    public RuleState init(ParameterLayout layout) {
        return new State(policy.bind(layout), new double[layout.dimension() * policy.stateSize()]);
    }

    @Override
    public Step step(Observation observation, RuleState state) {
        State s = (State) state;
        double[] next = new double[s.recurrent().length];
        double[] dx = s.bound().step(DenseVectors.read(observation.gradient()), s.recurrent(), next, null);
        return new Step(DenseVectors.of(dx), new State(s.bound(), next));
    }

    @Override
    public RuleState initInPlace(ParameterLayout layout) {
        return new Buffers(policy.bind(layout), layout.dimension() * policy.stateSize());
    }

    @Override
    public double update(Observation observation, RuleState state) {
        Buffers b = (Buffers) state;
        double[] dx = b.bound.step(DenseVectors.read(observation.gradient()), b.recurrent, b.spare, null);
        double[] swap = b.recurrent;
        b.recurrent = b.spare;
        b.spare = swap;
        if (b.x == null) {
            b.x = new double[dx.length];
        }
        double[] x = DenseVectors.read(observation.x(), b.x);
        for (int i = 0; i < x.length; i++) {
            x[i] += dx[i];
        }
        DenseVectors.write(x, observation.x());
        return DenseVectors.norm2(dx);
    }
}
