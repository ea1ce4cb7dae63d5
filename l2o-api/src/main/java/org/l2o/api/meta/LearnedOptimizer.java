package org.l2o.api.meta;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A meta-trained optimizer: the policy class and feature map it runs, their parameters, the
 * learned weights by name, and provenance. Weights are owned by this value; do not modify them.
 */
public record LearnedOptimizer(String policyClass, Map<String, String> policyParameters, String featureMap,
                               Map<String, String> featureParameters, Map<String, INDArray> weights,
                               Provenance provenance) {
    public LearnedOptimizer {
        policyParameters = Map.copyOf(policyParameters);
        featureParameters = Map.copyOf(featureParameters);
        weights = Map.copyOf(weights);
    }
}
