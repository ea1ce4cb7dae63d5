package org.l2o.policies.learned;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.l2o.kernels.Blas;
import org.l2o.api.DenseVectors;
import org.l2o.api.update.DifferentiablePolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code mean(o) = W2^T act(W1^T ((o - shift) * scale) + b1) + b2}, minus the same at {@code o = 0}
 * when zero-centred. Parameters are {@code [W1, b1, W2, b2]} flattened column-major. Immutable.
 *
 * <p>Computed in plain Java: at these sizes (hundreds of inputs, tens of hidden units, batches of a
 * few hundred) the per-operation overhead of an array library exceeded the arithmetic several
 * times over. The inner loops are written as {@code a[j] += s * b[j]} over contiguous arrays, which
 * the JIT vectorises; the first-layer weights are kept input-major for that.
 */
final class MlpPolicy implements DifferentiablePolicy {

    enum Activation { SOFTPLUS, RELU, TANH }

    private final int in;
    private final int hidden;
    private final int out;
    private final Activation activation;
    private final boolean zeroCentred;
    private final double[] params;
    /** W1 input-major: {@code w1[i * hidden + h]}. */
    private final double[] w1;
    private final double[] b1;
    /** W2 hidden-major: {@code w2[h * out + a]}. */
    private final double[] w2;
    private final double[] b2;
    private final double[] shift;
    private final double[] scale;
    private final double[] covariance;

    MlpPolicy(int in, int hidden, int out, Activation activation, boolean zeroCentred, INDArray params, INDArray shift,
              INDArray scale, INDArray covariance) {
        this(in, hidden, out, activation, zeroCentred, params.toDoubleVector(), shift.toDoubleVector(),
                scale.toDoubleVector(), covariance.castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    private MlpPolicy(int in, int hidden, int out, Activation activation, boolean zeroCentred, double[] params,
                      double[] shift, double[] scale, double[] covariance) {
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.activation = activation;
        this.zeroCentred = zeroCentred;
        this.params = params;
        this.shift = shift;
        this.scale = scale;
        this.covariance = covariance;
        int o1 = in * hidden;
        int o2 = o1 + hidden;
        int o3 = o2 + hidden * out;
        w1 = new double[in * hidden];
        for (int h = 0; h < hidden; h++) {
            for (int i = 0; i < in; i++) {
                w1[i * hidden + h] = params[i + h * in];
            }
        }
        b1 = java.util.Arrays.copyOfRange(params, o1, o2);
        w2 = new double[hidden * out];
        for (int a = 0; a < out; a++) {
            for (int h = 0; h < hidden; h++) {
                w2[h * out + a] = params[o2 + h + a * hidden];
            }
        }
        b2 = java.util.Arrays.copyOfRange(params, o3, o3 + out);
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int actionSize() {
        return out;
    }

    /** One row's forward pass: normalised input, pre-activations, activations, output. */
    private final class Row {
        final double[] xn = new double[in];
        final double[] z = new double[hidden];
        final double[] act = new double[hidden];
        final double[] mu = new double[out];

        Row(double[] x, int offset) {
            for (int i = 0; i < in; i++) {
                xn[i] = x == null ? -shift[i] * scale[i] : (x[offset + i] - shift[i]) * scale[i];
            }
            System.arraycopy(b1, 0, z, 0, hidden);
            for (int i = 0; i < in; i++) {
                double v = xn[i];
                if (v == 0) {
                    continue;
                }
                int base = i * hidden;
                for (int h = 0; h < hidden; h++) {
                    z[h] += v * w1[base + h];
                }
            }
            System.arraycopy(b2, 0, mu, 0, out);
            for (int h = 0; h < hidden; h++) {
                double v = activate(z[h]);
                act[h] = v;
                int base = h * out;
                for (int a = 0; a < out; a++) {
                    mu[a] += v * w2[base + a];
                }
            }
        }

        /** Upstream gradient at the pre-activations for an upstream gradient {@code g} at the output. */
        double[] dz(double[] g, int offset) {
            double[] d = new double[hidden];
            for (int h = 0; h < hidden; h++) {
                double s = 0;
                int base = h * out;
                for (int a = 0; a < out; a++) {
                    s += g[offset + a] * w2[base + a];
                }
                d[h] = s * derivative(z[h], act[h]);
            }
            return d;
        }

        /** Adds this row's parameter gradient for upstream {@code g} (input-major W1 in {@code dw1r}). */
        void accumulate(double[] g, int offset, double sign, double[] dw1r, double[] grad) {
            double[] d = dz(g, offset);
            int o1 = in * hidden;
            int o2 = o1 + hidden;
            int o3 = o2 + hidden * out;
            for (int i = 0; i < in; i++) {
                double v = sign * xn[i];
                if (v == 0) {
                    continue;
                }
                int base = i * hidden;
                for (int h = 0; h < hidden; h++) {
                    dw1r[base + h] += v * d[h];
                }
            }
            for (int h = 0; h < hidden; h++) {
                grad[o1 + h] += sign * d[h];
                for (int a = 0; a < out; a++) {
                    grad[o2 + h + a * hidden] += sign * act[h] * g[offset + a];
                }
            }
            for (int a = 0; a < out; a++) {
                grad[o3 + a] += sign * g[offset + a];
            }
        }
    }

    private double activate(double z) {
        return switch (activation) {
            case SOFTPLUS -> z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            case RELU -> Math.max(z, 0);
            case TANH -> Math.tanh(z);
        };
    }

    private double derivative(double z, double a) {
        return switch (activation) {
            // softplus' = sigmoid(z) = 1 - exp(-softplus(z))
            case SOFTPLUS -> -Math.expm1(-a);
            case RELU -> z > 0 ? 1 : 0;
            case TANH -> 1 - a * a;
        };
    }

    private static double[] rows(INDArray features, int width) {
        double[] x = DenseVectors.read(features);
        if (x.length % width != 0) {
            throw new IllegalArgumentException("features of length " + x.length + " are not rows of " + width);
        }
        return x;
    }

    private double[] meanRows(double[] x, int batch, Row[] keep) {
        double[] mu = new double[batch * out];
        double[] zeroMu = zeroCentred ? new Row(null, 0).mu : null;
        for (int b = 0; b < batch; b++) {
            Row r = new Row(x, b * in);
            if (keep != null) {
                keep[b] = r;
            }
            for (int a = 0; a < out; a++) {
                mu[b * out + a] = r.mu[a] - (zeroCentred ? zeroMu[a] : 0);
            }
        }
        return mu;
    }

    @Override
    public INDArray mean(INDArray features) {
        double[] x = rows(features, in);
        int batch = x.length / in;
        return Nd4j.createFromArray(meanRows(x, batch, null)).reshape(batch, out);
    }

    @Override
    public INDArray covariance() {
        return Nd4j.createFromArray(covariance.clone()).reshape(out, out);
    }

    private double[] gradient(Row[] rows, double[] g) {
        double[] grad = new double[params.length];
        double[] dw1r = new double[in * hidden];
        double[] total = new double[out];
        for (int b = 0; b < rows.length; b++) {
            rows[b].accumulate(g, b * out, 1, dw1r, grad);
            for (int a = 0; a < out; a++) {
                total[a] += g[b * out + a];
            }
        }
        if (zeroCentred) {
            new Row(null, 0).accumulate(total, 0, -1, dw1r, grad);
        }
        for (int h = 0; h < hidden; h++) {
            for (int i = 0; i < in; i++) {
                grad[i + h * in] = dw1r[i * hidden + h];
            }
        }
        return grad;
    }

    @Override
    public INDArray parameterGradient(INDArray features, INDArray meanGradient) {
        double[] x = rows(features, in);
        int batch = x.length / in;
        Row[] rows = new Row[batch];
        meanRows(x, batch, rows);
        return Nd4j.createFromArray(gradient(rows, rows(meanGradient, out)));
    }

    /**
     * The regression's hot call, batched: per layer one GEMM over all rows (through {@link Blas}),
     * samples as columns of column-major arrays, so the weight gradients come out in the
     * parameters' own layout. The per-row loops of {@link Row} ran ten times slower than this
     * inside a long GPS run (see the performance notes in the README).
     */
    @Override
    public INDArray[] meanAndParameterGradient(INDArray features, UnaryOperator<INDArray> upstream) {
        double[] x = rows(features, in);
        int batch = x.length / in;
        int o1 = in * hidden;
        int o2 = o1 + hidden;
        int o3 = o2 + hidden * out;
        double[] xn = new double[batch * in];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < in; i++) {
                xn[b * in + i] = (x[b * in + i] - shift[i]) * scale[i];
            }
        }
        INDArray xf = matrix(xn, in, batch);
        INDArray w1f = matrix(java.util.Arrays.copyOfRange(params, 0, o1), in, hidden);
        INDArray w2f = matrix(java.util.Arrays.copyOfRange(params, o2, o3), hidden, out);
        INDArray zf = Nd4j.create(DataType.DOUBLE, new long[] {hidden, batch}, 'f');
        Blas.gemm(w1f, xf, zf, true, false, 1.0, 0.0);
        double[] z = values(zf);
        double[] act = new double[z.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < hidden; h++) {
                int e = b * hidden + h;
                z[e] += b1[h];
                act[e] = activate(z[e]);
            }
        }
        INDArray af = matrix(act, hidden, batch);
        INDArray muf = Nd4j.create(DataType.DOUBLE, new long[] {out, batch}, 'f');
        Blas.gemm(w2f, af, muf, true, false, 1.0, 0.0);
        double[] mu = values(muf);
        double[] zeroMu = zeroCentred ? new Row(null, 0).mu : null;
        for (int b = 0; b < batch; b++) {
            for (int a = 0; a < out; a++) {
                mu[b * out + a] += b2[a] - (zeroCentred ? zeroMu[a] : 0);
            }
        }
        INDArray muArray = DenseVectors.of(mu).reshape(batch, out);
        double[] g = rows(upstream.apply(muArray), out);
        double[] grad = new double[params.length];
        INDArray gf = matrix(g, out, batch);
        INDArray dw2 = Nd4j.create(DataType.DOUBLE, new long[] {hidden, out}, 'f');
        Blas.gemm(af, gf, dw2, false, true, 1.0, 0.0);
        System.arraycopy(values(dw2), 0, grad, o2, hidden * out);
        INDArray daf = Nd4j.create(DataType.DOUBLE, new long[] {hidden, batch}, 'f');
        Blas.gemm(w2f, gf, daf, false, false, 1.0, 0.0);
        double[] dz = values(daf);
        double[] total = new double[out];
        for (int b = 0; b < batch; b++) {
            for (int a = 0; a < out; a++) {
                grad[o3 + a] += g[b * out + a];
                total[a] += g[b * out + a];
            }
            for (int h = 0; h < hidden; h++) {
                int e = b * hidden + h;
                dz[e] *= derivative(z[e], act[e]);
                grad[o1 + h] += dz[e];
            }
        }
        INDArray dw1 = Nd4j.create(DataType.DOUBLE, new long[] {in, hidden}, 'f');
        Blas.gemm(xf, matrix(dz, hidden, batch), dw1, false, true, 1.0, 0.0);
        System.arraycopy(values(dw1), 0, grad, 0, in * hidden);
        if (zeroCentred) {
            // minus the gradient of the mean at zero input, weighted by the summed upstream
            double[] correction = new double[params.length];
            double[] dw1r = new double[in * hidden];
            new Row(null, 0).accumulate(total, 0, -1, dw1r, correction);
            for (int h = 0; h < hidden; h++) {
                for (int i = 0; i < in; i++) {
                    correction[i + h * in] = dw1r[i * hidden + h];
                }
            }
            for (int k = 0; k < grad.length; k++) {
                grad[k] += correction[k];
            }
        }
        return new INDArray[] {muArray, DenseVectors.of(grad)};
    }

    /** The values of a freshly made column-major array, in its buffer order. */
    private static double[] values(INDArray m) {
        return DenseVectors.fromBuffer(m, new double[(int) m.length()]);
    }

    /** A column-major {@code [rows, cols]} array holding {@code values} in its buffer order. */
    private static INDArray matrix(double[] values, int rows, int cols) {
        INDArray m = Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'f');
        DenseVectors.toBuffer(values, m);
        return m;
    }

    @Override
    public INDArray inputGradient(INDArray features, INDArray meanGradient) {
        double[] x = rows(features, in);
        double[] g = rows(meanGradient, out);
        int batch = x.length / in;
        double[] dx = new double[batch * in];
        for (int b = 0; b < batch; b++) {
            double[] d = new Row(x, b * in).dz(g, b * out);
            for (int i = 0; i < in; i++) {
                double s = 0;
                int base = i * hidden;
                for (int h = 0; h < hidden; h++) {
                    s += w1[base + h] * d[h];
                }
                dx[b * in + i] = s * scale[i];
            }
        }
        return Nd4j.createFromArray(dx).reshape(batch, in);
    }

    @Override
    public INDArray parameters() {
        return Nd4j.createFromArray(params.clone());
    }

    @Override
    public DifferentiablePolicy withParameters(INDArray parameters) {
        if (parameters.length() != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " parameters, got " + parameters.length());
        }
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, parameters.toDoubleVector(), shift, scale,
                covariance);
    }

    @Override
    public DifferentiablePolicy withCovariance(INDArray cov) {
        if (cov.length() != (long) out * out) {
            throw new IllegalArgumentException("expected a " + out + "x" + out + " covariance");
        }
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, params, shift, scale,
                cov.castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    @Override
    public DifferentiablePolicy withInputNormalization(INDArray newShift, INDArray newScale) {
        return new MlpPolicy(in, hidden, out, activation, zeroCentred, params, newShift.toDoubleVector(),
                newScale.toDoubleVector(), covariance);
    }

    @Override
    public Map<String, INDArray> weights() {
        return Map.of("parameters", parameters(), "input-shift", Nd4j.createFromArray(shift.clone()),
                "input-scale", Nd4j.createFromArray(scale.clone()), "covariance", covariance());
    }
}
