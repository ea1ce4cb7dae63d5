package org.l2o.api.objective;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Objective value and gradient at one point. The gradient is a rank-1 double array of the
 * objective's dimension, owned by the caller once returned.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record Evaluation(double value, INDArray gradient) {
    public Evaluation {
        Objects.requireNonNull(gradient, "gradient");
    }
}
