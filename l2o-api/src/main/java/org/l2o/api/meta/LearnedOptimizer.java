package org.l2o.api.meta;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A meta-trained optimizer: the policy class and feature map it runs with their parameters, the
 * input and action sizes the policy was trained for, the learned arrays by name, and provenance.
 * Arrays are owned by this value; do not modify them.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record LearnedOptimizer(String policyClass, Map<String, String> policyParameters, String featureMap,
                               Map<String, String> featureParameters, int inputSize, int actionSize,
                               Map<String, INDArray> weights, Provenance provenance) {
    public LearnedOptimizer {
        policyParameters = Map.copyOf(policyParameters);
        featureParameters = Map.copyOf(featureParameters);
        weights = Map.copyOf(weights);
        if (inputSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("inputSize and actionSize must be positive");
        }
    }

    /** This optimizer with another provenance (same arrays). */
    public LearnedOptimizer withProvenance(Provenance other) {
        return new LearnedOptimizer(policyClass, policyParameters, featureMap, featureParameters, inputSize, actionSize,
                weights, other);
    }
}
