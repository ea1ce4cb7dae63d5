package org.l2o.objectives.mlp;

import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An objective seen through a per-tensor reparameterisation {@code x = s_k w} (VeLO's task
 * augmentation): {@code g(w) = f(S w)}, {@code grad g = S grad f}, with the initial point
 * {@code w0 = initScale x0 / s}. The net computes exactly what it did; only what the optimizer sees
 * is rescaled, so a scale-free optimizer behaves the same on every s, and one that reads absolute
 * scales does not. Thread-safe when the wrapped objective is.
 */
final class ScaledObjective implements Objective {

    private final Objective inner;
    private final double initScale;
    /** Per coordinate group, s_k. */
    private final double[] scales;
    private final boolean identity;

    ScaledObjective(Objective inner, double initScale, double[] scales) {
        if (scales.length != inner.layout().groups().size()) {
            throw new IllegalArgumentException(scales.length + " scales for " + inner.layout().groups().size()
                    + " coordinate groups");
        }
        this.inner = inner;
        this.initScale = initScale;
        this.scales = scales.clone();
        boolean ones = true;
        for (double s : scales) {
            ones &= s == 1;
        }
        this.identity = ones;
    }

    /** {@code v_j * s_k^power} per coordinate, as a new array. */
    private double[] scaled(double[] v, int power) {
        double[] out = v.clone();
        if (identity) {
            return out;
        }
        var groups = inner.layout().groups();
        for (int k = 0; k < groups.size(); k++) {
            CoordinateGroup g = groups.get(k);
            double f = power == 1 ? scales[k] : 1 / scales[k];
            for (int j = g.offset(), end = g.end(); j < end; j++) {
                out[j] *= f;
            }
        }
        return out;
    }

    private INDArray outer(INDArray w) {
        return identity ? w : DenseVectors.of(scaled(DenseVectors.read(w), 1));
    }

    @Override
    public String family() {
        return inner.family();
    }

    @Override
    public ParameterLayout layout() {
        return inner.layout();
    }

    @Override
    public INDArray initialPoint(RandomGenerator random) {
        double[] x0 = DenseVectors.read(inner.initialPoint(random));
        for (int j = 0; j < x0.length; j++) {
            x0[j] *= initScale;
        }
        return DenseVectors.of(scaled(x0, -1));
    }

    @Override
    public boolean stochastic() {
        return inner.stochastic();
    }

    @Override
    public Evaluation evaluate(INDArray w) {
        Evaluation e = inner.evaluate(outer(w));
        return new Evaluation(e.value(), identity ? e.gradient() : DenseVectors.of(scaled(DenseVectors.read(e.gradient()), 1)));
    }

    @Override
    public double value(INDArray w) {
        return inner.value(outer(w));
    }

    @Override
    public Evaluation estimate(INDArray w, RandomGenerator random) {
        Evaluation e = inner.estimate(outer(w), random);
        return new Evaluation(e.value(), identity ? e.gradient() : DenseVectors.of(scaled(DenseVectors.read(e.gradient()), 1)));
    }

    @Override
    public double estimateInto(INDArray w, RandomGenerator random, INDArray gradient) {
        double value = inner.estimateInto(outer(w), random, gradient);
        if (!identity) {
            DenseVectors.write(scaled(DenseVectors.read(gradient), 1), gradient);
        }
        return value;
    }
}
