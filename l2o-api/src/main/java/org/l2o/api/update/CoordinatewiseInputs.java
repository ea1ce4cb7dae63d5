package org.l2o.api.update;

import org.l2o.api.objective.ParameterLayout;

/**
 * The per-coordinate inputs a coordinatewise policy sees, computed from the observation history
 * (such as the observation features Psi of Li & Malik 2017). Without one, a coordinatewise rule feeds
 * the policy the observed gradient. Immutable and thread-safe; each run owns a {@link Track}.
 */
public interface CoordinatewiseInputs {

    /** Inputs per coordinate. */
    int size();

    /**
     * The names of the {@link #size()} inputs in order, so a policy class can check that a feature
     * map gives the channels it reads where it expects them; by default {@code input0, input1, ...}.
     */
    default java.util.List<String> channels() {
        return java.util.stream.IntStream.range(0, size()).mapToObj(i -> "input" + i).toList();
    }

    /** A fresh history for one run over parameters with this layout. */
    Track start(ParameterLayout layout);

    /**
     * The history {@link Track#save()} wrote, for the same layout: meta-trainers whose inner runs
     * outlive one iteration (persistent evolution strategies) checkpoint them this way.
     *
     * @throws UnsupportedOperationException where the inputs cannot be saved (the default)
     * @throws org.l2o.api.DataFormatException if {@code saved} does not fit this map and layout
     */
    default Track restore(ParameterLayout layout, double[] saved) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot restore a saved history");
    }

    /**
     * The exact length of what {@link Track#save()} writes for a run on {@code layout}, or -1 where
     * histories cannot be saved (the default). Where it is known, a learned rule's whole state has
     * a length fixed before the run ({@link FlatStateRule}); it must then be at most the sum, over
     * the layout's groups, of the length for a layout of that group alone.
     */
    default long savedLength(ParameterLayout layout) {
        return -1;
    }

    /** The mutable history of one run. */
    interface Track {
        /**
         * Adds an observation and returns the inputs at it, {@code [size, n]} feature-major; the
         * array is owned by the caller.
         */
        double[] push(Observation observation);

        /**
         * {@link #push(Observation)} into {@code into} ({@code size()} values per coordinate), which
         * it returns: a run that steps in place reuses one array instead of a fresh one per step.
         * The default copies a fresh push.
         *
         * @throws IllegalArgumentException where {@code into} has another length
         */
        default double[] push(Observation observation, double[] into) {
            double[] inputs = push(observation);
            if (inputs.length != into.length) {
                throw new IllegalArgumentException("inputs of " + inputs.length + " values into an array of "
                        + into.length);
            }
            System.arraycopy(inputs, 0, into, 0, inputs.length);
            return into;
        }

        /** An independent copy, for rules that keep their state immutable. */
        Track copy();

        /**
         * The history as numbers, for {@link CoordinatewiseInputs#restore}: a restored track gives
         * exactly the inputs this one would.
         *
         * @throws UnsupportedOperationException where the inputs cannot be saved (the default)
         */
        default double[] save() {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be saved");
        }
    }
}
