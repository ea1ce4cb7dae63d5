package org.l2o.kernels;

import java.util.Objects;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.FlatStateRule;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;

/**
 * A coordinatewise recurrent policy run as an optimizer: each step feeds the observed gradient (or
 * the inputs of a {@link CoordinatewiseInputs}, such as the observation features of Li & Malik 2017) to
 * the network and takes its output as the step. The recurrent state is the rule state, with the
 * policy bound to the objective's layout ({@link CoordinatewisePolicy#bind}). In place, the run's
 * state keeps two recurrent buffers and swaps them.
 */
public class CoordinatewiseRule implements InPlaceUpdateRule {

    private final String spec;
    private final CoordinatewisePolicy policy;
    private final CoordinatewiseInputs inputs;

    /** A rule that feeds the policy the observed gradient. */
    public CoordinatewiseRule(String spec, CoordinatewisePolicy policy) {
        this(spec, policy, null);
    }

    /**
     * A rule that feeds the policy {@code inputs} computed from the history ({@code null}: the gradient).
     *
     * @throws org.l2o.api.ConfigurationException if the policy expects another number of inputs
     */
    public CoordinatewiseRule(String spec, CoordinatewisePolicy policy, CoordinatewiseInputs inputs) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.inputs = inputs;
        int given = inputs == null ? 1 : inputs.size();
        if (policy.inputSize() != given) {
            throw new org.l2o.api.ConfigurationException(spec + ": the policy takes " + policy.inputSize()
                    + " inputs per coordinate, " + (inputs == null ? "the gradient is 1" : "its features give " + given));
        }
    }

    /**
     * The rule, with a flat state ({@link FlatStateRule}: the recurrent state, then the saved
     * history of the inputs) wherever the inputs can save their history with a length known up
     * front, so a host framework (DL4J's updater view) can carry the state and restore it exactly.
     */
    public static CoordinatewiseRule of(String spec, CoordinatewisePolicy policy, CoordinatewiseInputs inputs) {
        boolean flat = inputs == null || inputs.savedLength(ParameterLayout.single(1)) >= 0;
        return flat ? new Flat(spec, policy, inputs) : new CoordinatewiseRule(spec, policy, inputs);
    }

    @Override
    public String spec() {
        return spec;
    }

    /** A coordinatewise rule whose inputs save their history with a length known before the run. */
    static final class Flat extends CoordinatewiseRule implements FlatStateRule {

        Flat(String spec, CoordinatewisePolicy policy, CoordinatewiseInputs inputs) {
            super(spec, policy, inputs);
        }

        @Override
        public long stateLength(long size) {
            long recurrent = Math.multiplyExact(size, (long) policy().stateSize());
            return inputs() == null ? recurrent
                    : Math.addExact(recurrent, inputs().savedLength(ParameterLayout.single(Math.toIntExact(size))));
        }

        @Override
        public long stateLength(ParameterLayout layout) {
            long recurrent = (long) layout.dimension() * policy().stateSize();
            return inputs() == null ? recurrent : Math.addExact(recurrent, inputs().savedLength(layout));
        }

        @Override
        public void save(RuleState state, ParameterLayout layout, double[] into) {
            double[] recurrent = state instanceof Buffers b ? b.recurrent : ((State) state).recurrent();
            CoordinatewiseInputs.Track track = state instanceof Buffers b ? b.track : ((State) state).track();
            System.arraycopy(recurrent, 0, into, 0, recurrent.length);
            if (track != null) {
                double[] history = track.save();
                System.arraycopy(history, 0, into, recurrent.length, history.length);
            }
        }

        @Override
        public RuleState loadInPlace(ParameterLayout layout, double[] from) {
            State s = (State) load(layout, from);
            Buffers b = new Buffers(s.bound(), s.recurrent().length, s.track());
            System.arraycopy(s.recurrent(), 0, b.recurrent, 0, b.recurrent.length);
            return b;
        }

        @Override
        public RuleState load(ParameterLayout layout, double[] from) {
            int recurrent = layout.dimension() * policy().stateSize();
            CoordinatewiseInputs.Track track = null;
            if (inputs() != null) {
                int length = Math.toIntExact(inputs().savedLength(layout));
                track = inputs().restore(layout, java.util.Arrays.copyOfRange(from, recurrent, recurrent + length));
            }
            return new State(policy().bind(layout), java.util.Arrays.copyOf(from, recurrent), track);
        }
    }

    final CoordinatewisePolicy policy() {
        return policy;
    }

    final CoordinatewiseInputs inputs() {
        return inputs;
    }

    private record State(CoordinatewisePolicy bound, double[] recurrent, CoordinatewiseInputs.Track track)
            implements RuleState {
    }

    /** The in-place state: the bound policy, the current and the spare recurrent buffer, the iterate. */
    private static final class Buffers implements RuleState {
        final CoordinatewisePolicy bound;
        final CoordinatewiseInputs.Track track;
        double[] recurrent;
        double[] spare;
        double[] x;
        /** The inputs of the last step, refilled by the track at each step. */
        double[] inputs;

        Buffers(CoordinatewisePolicy bound, int size, CoordinatewiseInputs.Track track) {
            this.bound = bound;
            this.track = track;
            this.recurrent = new double[size];
            this.spare = new double[size];
        }
    }

    @Override
    public RuleState init(ParameterLayout layout) {
        return new State(policy.bind(layout), new double[layout.dimension() * policy.stateSize()],
                inputs == null ? null : inputs.start(layout));
    }

    @Override
    public Step step(Observation observation, RuleState state) {
        State s = (State) state;
        double[] next = new double[s.recurrent().length];
        CoordinatewiseInputs.Track track = s.track() == null ? null : s.track().copy();
        double[] in = track == null ? DenseVectors.read(observation.gradient()) : track.push(observation);
        double[] dx = s.bound().step(in, s.recurrent(), next, null);
        return new Step(DenseVectors.of(dx), new State(s.bound(), next, track));
    }

    @Override
    public RuleState initInPlace(ParameterLayout layout) {
        return new Buffers(policy.bind(layout), layout.dimension() * policy.stateSize(),
                inputs == null ? null : inputs.start(layout));
    }

    @Override
    public double update(Observation observation, RuleState state) {
        Buffers b = (Buffers) state;
        double[] in;
        if (b.track == null) {
            in = DenseVectors.read(observation.gradient());
        } else {
            if (b.inputs == null) {
                b.inputs = new double[inputs.size() * Math.toIntExact(observation.x().length())];
            }
            in = b.track.push(observation, b.inputs);
        }
        double[] dx = b.bound.step(in, b.recurrent, b.spare, null);
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
