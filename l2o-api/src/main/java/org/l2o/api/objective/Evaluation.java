package org.l2o.api.objective;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Objective value and gradient at one point. The gradient is a rank-1 double array of the
 * objective's dimension, owned by the caller once returned.
 */
public record Evaluation(double value, INDArray gradient) {
    public Evaluation {
        Objects.requireNonNull(gradient, "gradient");
    }
}
