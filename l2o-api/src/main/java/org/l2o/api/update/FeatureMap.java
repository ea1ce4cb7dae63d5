package org.l2o.api.update;

import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns the history of observations into the features a learned policy sees (the state of
 * Li & Malik 2016, the observation and state features of Li & Malik 2017).
 * Immutable and thread-safe; the history is explicit state.
 */
public interface FeatureMap {

    /** Number of features for parameters with this layout. */
    int size(ParameterLayout layout);

    /** History before the first observation. */
    FeatureState init(ParameterLayout layout);

    /** History after adding one observation. */
    FeatureState push(FeatureState state, Observation observation);

    /** Features of the current history, a rank-1 double array of length {@link #size}. */
    INDArray features(FeatureState state);
}
