package org.l2o.api.update;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian policy over actions given features, as guided policy search needs it: the mean
 * action for a batch of feature vectors and a state-independent covariance (Li & Malik 2016, the policy,
 * 2.2). Immutable and thread-safe.
 */
public interface StochasticPolicy {

    /** Length of one feature vector. */
    int inputSize();

    /** Length of one action. */
    int actionSize();

    /** Mean actions, {@code [batch, actionSize]}, for features {@code [batch, inputSize]}. */
    INDArray mean(INDArray features);

    /** Action covariance, {@code [actionSize, actionSize]}. */
    INDArray covariance();
}
