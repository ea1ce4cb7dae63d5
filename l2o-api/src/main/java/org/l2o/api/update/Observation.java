package org.l2o.api.update;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an optimizer sees at step {@code step}: the iterate, the observed objective value and
 * gradient there, and an oracle for extra evaluations. Arrays are read-only for the rule.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record Observation(int step, INDArray x, double value, INDArray gradient, Oracle oracle) {
    public Observation {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(gradient, "gradient");
        Objects.requireNonNull(oracle, "oracle");
    }
}
