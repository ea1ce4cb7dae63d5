package org.l2o.api.update;

import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent network applied to every coordinate of the optimizee with shared weights and a
 * separate recurrent state per coordinate: the optimizer of Andrychowicz et al. 2016 (the coordinatewise LSTM).
 * It maps the gradient of each coordinate (plus its recurrent state) to that coordinate's step.
 * Immutable and thread-safe; the recurrent state and the tape for backpropagation through time
 * are explicit.
 */
public interface CoordinatewisePolicy {

    /** Recorded forward steps, for {@link #backward}. */
    interface Tape {
        /** Number of recorded steps. */
        int steps();
    }

    /**
     * The policy specialised to an optimizee's parameter layout, for policies that assign
     * coordinate groups to separate networks; by default the policy itself (one network shared by
     * all coordinates). Callers bind once per objective, before the first step.
     *
     * @throws org.l2o.api.ConfigurationException if the policy cannot serve this layout
     */
    default CoordinatewisePolicy bind(ParameterLayout layout) {
        return this;
    }

    /**
     * Inputs per coordinate: 1 for policies fed the gradient (the default), more for policies fed
     * features ({@link CoordinatewiseInputs}).
     */
    default int inputSize() {
        return 1;
    }

    /** Recurrent state size per coordinate (all layers' hidden and cell states). */
    int stateSize();

    /** A tape to record steps into. */
    Tape newTape(int coordinates);

    /**
     * One step for {@code n = inputs.length / inputSize()} coordinates.
     *
     * @param inputs    per coordinate, the optimizee gradient (an input constant: no second derivatives)
     *                  or, for {@code inputSize() > 1}, the features {@code [inputSize, n]} feature-major;
     *                  the caller may refill the array after the call (a tape keeps its own copy)
     * @param state     {@code n * stateSize()} values, zeros at the start of a run
     * @param next      receives the next state ({@code n * stateSize()} values)
     * @param tape      records what {@link #backward} needs, or {@code null}
     * @return the step per coordinate
     */
    double[] step(double[] inputs, double[] state, double[] next, Tape tape);

    /**
     * Backpropagation through the recorded steps: the gradient of {@code sum_t sum_j
     * outputGradients[t][j] * step_t[j]} with respect to the parameters, the recurrent state entering
     * the first recorded step treated as a constant (truncated BPTT).
     */
    double[] backward(Tape tape, double[][] outputGradients);

    /** The flat parameter vector (a copy). */
    INDArray parameters();

    /** The same network with other parameters. */
    CoordinatewisePolicy withParameters(INDArray parameters);
}
