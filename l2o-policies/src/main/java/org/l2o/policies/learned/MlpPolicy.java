package org.l2o.policies.learned;

import java.util.Map;
import org.l2o.api.update.DifferentiablePolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code mean(o) = W2^T act(W1^T ((o - shift) * scale) + b1) + b2}, minus the same at {@code o = 0}
 * when zero-centred. Parameters are {@code [W1, b1, W2, b2]} flattened column-major. Immutable.
 */
final class MlpPolicy implements DifferentiablePolicy {

    enum Activation { SOFTPLUS, RELU, TANH }

    private final int in;
    private final int hidden;
    private final int out;
    private final Activation activation;
    private final boolean zeroCentred;
    private final INDArray params;
    private final INDArray w1;
    private final INDArray b1;
    private final INDArray w2;
    private final INDArray b2;
    private final INDArray shift;
    private final INDArray scale;
    private final INDArray covariance;

    MlpPolicy(int in, int hidden, int out, Activation activation, boolean zeroCentred, INDArray params, INDArray shift,
              INDArray scale, INDArray covariance) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.activation = activation;
        this.zeroCentred = zeroCentred;
        this.params = params.dup();
        int o1 = in * hidden;
        int o2 = o1 + hidden;
        int o3 = o2 + hidden * out;
        this.w1 = this.params.get(NDArrayIndex.interval(0, o1)).reshape('f', in, hidden).dup('f');
        this.b1 = this.params.get(NDArrayIndex.interval(o1, o2)).dup();
        this.w2 = this.params.get(NDArrayIndex.interval(o2, o3)).reshape('f', hidden, out).dup('f');
        this.b2 = this.params.get(NDArrayIndex.interval(o3, o3 + out)).dup();
        this.shift = shift.dup();
        this.scale = scale.dup();
        this.covariance = covariance.dup();
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int actionSize() {
        return out;
    }

    /** Forward pass of one batch: normalised inputs, pre-activations, hidden activations, outputs. */
    private record Pass(INDArray xn, INDArray z, INDArray h, INDArray mu) {
    }

    private Pass pass(INDArray features) {
        INDArray xn = features.castTo(DataType.DOUBLE).subRowVector(shift).muliRowVector(scale);
        INDArray z = Nd4j.gemm(xn, w1, false, false).addiRowVector(b1);
        INDArray h = switch (activation) {
            case SOFTPLUS -> Transforms.softPlus(z, true);
            case RELU -> Transforms.relu(z, true);
            case TANH -> Transforms.tanh(z, true);
        };
        INDArray mu = Nd4j.gemm(h, w2, false, false).addiRowVector(b2);
        return new Pass(xn, z, h, mu);
    }

    private INDArray zeroRow() {
        return Nd4j.zeros(DataType.DOUBLE, 1, in);
    }

    @Override
    public INDArray mean(INDArray features) {
        INDArray mu = pass(features).mu();
        if (zeroCentred) {
            mu.subiRowVector(pass(zeroRow()).mu());
        }
        return mu;
    }

    @Override
    public INDArray covariance() {
        return covariance.dup();
    }

    private INDArray activationDerivative(Pass p) {
        return switch (activation) {
            case SOFTPLUS -> Transforms.sigmoid(p.z(), true);
            case RELU -> p.z().gt(0).castTo(DataType.DOUBLE);
            case TANH -> p.h().mul(p.h()).rsubi(1.0);
        };
    }

    /** Parameter gradient of sum(g .* mu) for one forward pass, flattened like the parameters. */
    private INDArray backward(Pass p, INDArray g) {
        INDArray dw2 = Nd4j.gemm(p.h(), g, true, false);
        INDArray db2 = g.sum(0);
        INDArray dz = Nd4j.gemm(g, w2, false, true).muli(activationDerivative(p));
        INDArray dw1 = Nd4j.gemm(p.xn(), dz, true, false);
        INDArray db1 = dz.sum(0);
        return Nd4j.toFlattened('f', dw1, db1, dw2, db2).reshape(params.length());
    }

    @Override
    public INDArray parameterGradient(INDArray features, INDArray meanGradient) {
        INDArray g = meanGradient.castTo(DataType.DOUBLE);
        INDArray grad = backward(pass(features), g);
        if (zeroCentred) {
            grad.subi(backward(pass(zeroRow()), g.sum(0).reshape(1, out)));
        }
        return grad;
    }

    @Override
    public INDArray inputGradient(INDArray features, INDArray meanGradient) {
        Pass p = pass(features);
        INDArray dz = Nd4j.gemm(meanGradient.castTo(DataType.DOUBLE), w2, false, true).muli(activationDerivative(p));
        return Nd4j.gemm(dz, w1, false, true).muliRowVector(scale);
    }

    @Override
    public INDArray parameters() {
        return params.dup();
    }

    @Override
    public DifferentiablePolicy withParameters(INDArray parameters) {
        if (parameters.length() != params.length()) {
            throw new IllegalArgumentException("expected " + params.length() + " parameters, got " + parameters.length());
        }
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, parameters.reshape(params.length()), shift, scale,
                covariance);
    }

    @Override
    public DifferentiablePolicy withCovariance(INDArray cov) {
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, params, shift, scale, cov.reshape(out, out));
    }

    @Override
    public DifferentiablePolicy withInputNormalization(INDArray newShift, INDArray newScale) {
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, params, newShift.reshape(in),
                newScale.reshape(in), covariance);
    }

    @Override
    public Map<String, INDArray> weights() {
        return Map.of("parameters", params.dup(), "input-shift", shift.dup(), "input-scale", scale.dup(),
                "covariance", covariance.dup());
    }
}
