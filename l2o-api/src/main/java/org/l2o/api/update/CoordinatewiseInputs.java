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

    /** A fresh history for one run over parameters with this layout. */
    Track start(ParameterLayout layout);

    /** The mutable history of one run. */
    interface Track {
        /**
         * Adds an observation and returns the inputs at it, {@code [size, n]} feature-major; the
         * array is owned by the caller.
         */
        double[] push(Observation observation);

        /** An independent copy, for rules that keep their state immutable. */
        Track copy();
    }
}
