package org.l2o.lopt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewisePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code mlp-lopt} network: one small MLP applied to every coordinate with shared weights
 * (Metz et al.'s per-parameter learned optimizers), two outputs d and m, and the step
 * <pre>
 *   dx = - lr0 exp(a . [time; 1] + c [vector]) nominal  +  d' exp(alpha m) beta [rms(p)]
 * </pre>
 * where {@code nominal} is AdaGrad's or Adam's direction from the feature map, {@code a} a learned
 * log step-size schedule over the time features, {@code c} a learned offset for vector tensors
 * (biases), {@code d'} the output d, divided by its RMS over the tensor where the output is
 * normalised (Celo2), and {@code rms(p)} the tensor's parameter RMS where steps scale with it (VeLO).
 * The nominal term makes the class contain its hand-designed baseline (STAR, Harrison et al.
 * 2022): with the output layer, a and c at zero, as {@link MlpLoptProvider} initialises them, the
 * learned optimizer is the baseline at {@code lr0}. No recurrent state: the history lives in the
 * feature map's accumulators.
 *
 * <p>Parameters, flat: {@code a} (time + 1), {@code c} (1) when there is a nominal term; then per
 * layer the weights ({@code [in, out]} column-major) and the biases. Immutable and thread-safe.
 */
final class MlpLopt implements CoordinatewisePolicy {

    enum Nominal { NONE, ADAGRAD, ADAM, MOMENTUM }

    /** The shape of the network and step, shared by every parameter vector. */
    record Shape(int inputs, int time, int[] hidden, boolean perCoordinate, Nominal nominal, double lr0,
                 double alpha, double beta, boolean parameterScale, boolean normaliseOutput) {

        int scheduleSize() {
            return nominal == Nominal.NONE ? 0 : time + 2;
        }

        int[] widths() {
            int[] w = new int[hidden.length + 2];
            w[0] = inputs;
            System.arraycopy(hidden, 0, w, 1, hidden.length);
            w[w.length - 1] = 2;
            return w;
        }

        int networkSize() {
            if (!perCoordinate) {
                return 0;
            }
            int[] w = widths();
            int total = 0;
            for (int l = 0; l + 1 < w.length; l++) {
                total += w[l] * w[l + 1] + w[l + 1];
            }
            return total;
        }

        int parameterCount() {
            return scheduleSize() + networkSize();
        }

        /** Channels the step reads: MLP inputs, then adagrad, adam, parameter-RMS (and the heavy ball). */
        int channels() {
            return inputs + LoptFeatures.RAW + (nominal == Nominal.MOMENTUM ? 1 : 0);
        }

        /** The channel of the nominal direction after the inputs: raw.adagrad, raw.adam or raw.momentum. */
        int direction() {
            return inputs + switch (nominal) {
                case ADAGRAD, NONE -> 0;
                case ADAM -> 1;
                case MOMENTUM -> LoptFeatures.RAW;
            };
        }
    }

    private final Shape shape;
    private final double[] parameters;
    private final ParameterLayout layout;
    /** Per layer, the weights {@code [in, out]} column-major and the biases, made once. */
    private final double[][] weightValues;
    private final double[][] biasValues;

    MlpLopt(Shape shape, double[] parameters, ParameterLayout layout) {
        if (parameters.length != shape.parameterCount()) {
            throw new IllegalArgumentException("mlp-lopt: " + parameters.length + " parameters, expected "
                    + shape.parameterCount());
        }
        this.shape = shape;
        this.parameters = parameters;
        this.layout = layout;
        int[] w = shape.widths();
        int layers = shape.perCoordinate() ? w.length - 1 : 0;
        weightValues = new double[layers][];
        biasValues = new double[layers][];
        int off = shape.scheduleSize();
        for (int l = 0; l < layers; l++) {
            weightValues[l] = Arrays.copyOfRange(parameters, off, off + w[l] * w[l + 1]);
            off += w[l] * w[l + 1];
            biasValues[l] = Arrays.copyOfRange(parameters, off, off + w[l + 1]);
            off += w[l + 1];
        }
    }

    Shape shape() {
        return shape;
    }

    @Override
    public CoordinatewisePolicy bind(ParameterLayout layout) {
        return new MlpLopt(shape, parameters, layout);
    }

    @Override
    public int inputSize() {
        return shape.channels();
    }

    @Override
    public int stateSize() {
        return 0;
    }

    @Override
    public INDArray parameters() {
        return Nd4j.createFromArray(parameters.clone());
    }

    @Override
    public CoordinatewisePolicy withParameters(INDArray p) {
        return new MlpLopt(shape, p.toDoubleVector(), layout);
    }

    /** The groups of an n-coordinate step: the bound layout, or one matrix-like group. */
    private List<CoordinateGroup> groups(int n) {
        if (layout != null && layout.dimension() == n) {
            return layout.groups();
        }
        if (layout != null) {
            throw new IllegalArgumentException("mlp-lopt: bound to " + layout.dimension() + " coordinates, given " + n);
        }
        return List.of(new CoordinateGroup("x", 0, List.of(n, 1)));
    }

    /** One recorded step: what backward needs. */
    private record Record(double[] inputs, double[][] activations, double[] d, double[] m, double[] scale,
                          double[] nominalStep, double[] normaliser) {
    }

    private static final class StepTape implements Tape {
        final List<Record> records = new ArrayList<>();

        @Override
        public int steps() {
            return records.size();
        }
    }

    @Override
    public Tape newTape(int coordinates) {
        return new StepTape();
    }

    @Override
    public double[] step(double[] inputs, double[] state, double[] next, Tape tape) {
        int n = inputs.length / shape.channels();
        if (n * shape.channels() != inputs.length) {
            throw new IllegalArgumentException("mlp-lopt: " + inputs.length + " inputs is not a multiple of "
                    + shape.channels() + " channels");
        }
        List<CoordinateGroup> groups = groups(n);
        double[] dx = new double[n];
        double[] nominalStep = null;
        if (shape.nominal() != Nominal.NONE) {
            nominal(inputs, n, groups, dx);
            nominalStep = tape == null ? null : dx.clone();
        }
        double[][] activations = null;
        double[] d = null;
        double[] m = null;
        double[] scale = null;
        double[] normaliser = null;
        if (shape.perCoordinate()) {
            activations = new double[weightValues.length][]; // each layer's input: the step's inputs, then hidden
            if (tape != null) {
                int[] w = shape.widths();
                for (int l = 1; l < weightValues.length; l++) {
                    activations[l] = new double[n * w[l]];
                }
            }
            d = new double[n];
            m = new double[n];
            forward(inputs, n, groups, d, m, activations);
            scale = tape == null ? null : new double[n];
            normaliser = new double[groups.size()];
            int prms = (shape.inputs() + 2) * n;
            for (int gi = 0; gi < groups.size(); gi++) {
                CoordinateGroup g = groups.get(gi);
                double r = 1;
                if (shape.normaliseOutput()) {
                    double s = 0;
                    for (int j = g.offset(), end = g.end(); j < end; j++) {
                        s += d[j] * d[j];
                    }
                    r = Math.sqrt(s / g.size() + 1e-12);
                }
                normaliser[gi] = r;
                for (int j = g.offset(), end = g.end(); j < end; j++) {
                    double sj = Math.exp(shape.alpha() * m[j]) * shape.beta()
                            * (shape.parameterScale() ? inputs[prms + j] : 1.0);
                    if (scale != null) {
                        scale[j] = sj;
                    }
                    dx[j] += d[j] / r * sj;
                }
            }
        }
        if (tape != null) {
            double[] kept = inputs.clone();
            if (activations != null) {
                activations[0] = kept;
            }
            ((StepTape) tape).records.add(new Record(kept, activations, d, m, scale, nominalStep, normaliser));
        }
        return dx;
    }

    /**
     * Adds {@code -lr0 exp(a . [time; 1] + c [vector]) direction} per coordinate to {@code dx}. The
     * time channels ({@code time@TAU}, checked by the provider) are the step's and equal for every
     * coordinate, so the step size is computed once per group, from its first coordinate's channels.
     */
    private void nominal(double[] inputs, int n, List<CoordinateGroup> groups, double[] dx) {
        int time = shape.time();
        int timeBase = (shape.inputs() - time) * n;
        int direction = shape.direction() * n;
        for (CoordinateGroup g : groups) {
            if (g.size() == 0) {
                continue;
            }
            double s = parameters[time] + (g.shape().size() == 1 ? parameters[time + 1] : 0);
            for (int k = 0; k < time; k++) {
                s += parameters[k] * inputs[timeBase + k * n + g.offset()];
            }
            double step = -shape.lr0() * Math.exp(s);
            for (int j = g.offset(), end = g.end(); j < end; j++) {
                dx[j] = step * inputs[direction + j];
            }
        }
    }

    /** Coordinates per block of the forward pass: a block's layers stay in the first-level cache. */
    private static final int BLOCK = 128;

    /** Per-thread block buffers of the forward pass, grown to the widest layer seen. */
    private static final ThreadLocal<double[][]> BLOCKS = new ThreadLocal<>();

    private double[][] blocks() {
        int widest = 0;
        for (int width : shape.widths()) {
            widest = Math.max(widest, width);
        }
        double[][] b = BLOCKS.get();
        if (b == null || b[0].length < widest * BLOCK) {
            b = new double[][] {new double[widest * BLOCK], new double[widest * BLOCK]};
            BLOCKS.set(b);
        }
        return b;
    }

    /**
     * The network's outputs d and m for every coordinate, in blocks of {@link #BLOCK} coordinates
     * within a group, ReLU between layers, the last linear; the hidden layers' outputs also into
     * {@code activations[1..]} ({@code [n, width]} column-major) where those arrays are given. The
     * time channels are the same for every coordinate of a step (as for the nominal term), so their
     * part of the first layer is added to its bias once per group, read from the group's first
     * coordinate, and the per-coordinate product runs over the other inputs only.
     */
    private void forward(double[] inputs, int n, List<CoordinateGroup> groups, double[] d, double[] m,
                         double[][] activations) {
        int[] w = shape.widths();
        int time = shape.time();
        int own = shape.inputs() - time;
        double[][] buffers = blocks();
        double[] first = new double[w[1]];
        for (CoordinateGroup g : groups) {
            if (g.size() == 0) {
                continue;
            }
            double[] w0 = weightValues[0];
            for (int o = 0; o < w[1]; o++) {
                double b = biasValues[0][o];
                for (int k = 0; k < time; k++) {
                    b += w0[own + k + o * w[0]] * inputs[(own + k) * n + g.offset()];
                }
                first[o] = b;
            }
            for (int lo = g.offset(), end = g.end(); lo < end; lo += BLOCK) {
                int len = Math.min(BLOCK, end - lo);
                double[] below = buffers[0];
                double[] above = buffers[1];
                // the first layer reads the inputs in place: channel c of coordinate j is inputs[c n + j]
                layer(inputs, n, lo, own, w0, w[0], first, above, len, weightValues.length > 1);
                for (int l = 1; l < weightValues.length; l++) {
                    if (activations[l] != null) {
                        for (int o = 0; o < w[l]; o++) {
                            System.arraycopy(above, o * BLOCK, activations[l], o * n + lo, len);
                        }
                    }
                    double[] t = below;
                    below = above;
                    above = t;
                    layer(below, BLOCK, 0, w[l], weightValues[l], w[l], biasValues[l], above, len,
                            l + 1 < weightValues.length);
                }
                System.arraycopy(above, 0, d, lo, len);
                System.arraycopy(above, BLOCK, m, lo, len);
            }
        }
    }

    /** Whether the forward pass runs {@link SimdLayer}'s vector instructions (bit-identical to the portable layer). */
    static final boolean SIMD = org.l2o.kernels.Simd.available(MlpLopt.class.getModule(), () -> SimdLayer.lanes());

    /**
     * One layer on a block: {@code out[o BLOCK + j] = bias[o] + sum_i W[i, o] in[i stride + from + j]}
     * over the first {@code used} of the layer's {@code fanIn} inputs, then ReLU where hidden.
     */
    private static void layer(double[] in, int stride, int from, int used, double[] weights, int fanIn,
                              double[] bias, double[] out, int len, boolean hidden) {
        if (SIMD) {
            SimdLayer.layer(in, stride, from, used, weights, fanIn, bias, out, BLOCK, len, hidden);
            return;
        }
        portableLayer(in, stride, from, used, weights, fanIn, bias, out, BLOCK, len, hidden);
    }

    /** {@link #layer} without vector instructions; package-private so that tests compare the two. */
    static void portableLayer(double[] in, int stride, int from, int used, double[] weights, int fanIn,
                              double[] bias, double[] out, int block, int len, boolean hidden) {
        for (int o = 0; o < bias.length; o++) {
            int base = o * block;
            java.util.Arrays.fill(out, base, base + len, bias[o]);
            for (int i = 0; i < used; i++) {
                double wio = weights[i + o * fanIn];
                int src = i * stride + from;
                for (int j = 0; j < len; j++) {
                    out[base + j] += in[src + j] * wio;
                }
            }
            if (hidden) {
                // Math.max compiles without a branch; a ReLU's sign is a coin flip per coordinate, and
                // the mispredicted branch of "v < 0 ? 0 : v" cost more than the layer's product
                for (int j = base; j < base + len; j++) {
                    out[j] = Math.max(out[j], 0.0);
                }
            }
        }
    }

    @Override
    public double[] backward(Tape tape, double[][] outputGradients) {
        List<Record> records = ((StepTape) tape).records;
        if (outputGradients.length != records.size()) {
            throw new IllegalArgumentException("mlp-lopt: " + outputGradients.length + " output gradients for "
                    + records.size() + " recorded steps");
        }
        double[] grad = new double[parameters.length];
        int time = shape.time();
        for (int t = 0; t < records.size(); t++) {
            Record r = records.get(t);
            double[] u = outputGradients[t];
            int n = u.length;
            List<CoordinateGroup> groups = groups(n);
            if (r.nominalStep() != null) {
                int timeBase = (shape.inputs() - time) * n;
                for (CoordinateGroup g : groups) {
                    boolean vector = g.shape().size() == 1;
                    for (int j = g.offset(), end = g.end(); j < end; j++) {
                        double w = u[j] * r.nominalStep()[j];
                        for (int k = 0; k < time; k++) {
                            grad[k] += w * r.inputs()[timeBase + k * n + j];
                        }
                        grad[time] += w;
                        if (vector) {
                            grad[time + 1] += w;
                        }
                    }
                }
            }
            if (r.activations() != null) {
                double[] top = new double[2 * n];
                for (int gi = 0; gi < groups.size(); gi++) {
                    CoordinateGroup g = groups.get(gi);
                    double norm = r.normaliser()[gi];
                    double dot = 0;
                    for (int j = g.offset(), end = g.end(); j < end; j++) {
                        double dHat = r.d()[j] / norm;
                        double wd = u[j] * r.scale()[j];
                        top[j] = wd;
                        top[n + j] = u[j] * dHat * r.scale()[j] * shape.alpha();
                        dot += wd * dHat;
                    }
                    if (shape.normaliseOutput()) {
                        // d' = d / r, r = sqrt(mean d^2 + eps): dL/dd_j = (w_j - d'_j mean_i(w_i d'_i)) / r
                        double mean = dot / g.size();
                        for (int j = g.offset(), end = g.end(); j < end; j++) {
                            top[j] = (top[j] - r.d()[j] / norm * mean) / norm;
                        }
                    } else {
                        for (int j = g.offset(), end = g.end(); j < end; j++) {
                            top[j] /= norm;
                        }
                    }
                }
                backpropagate(r.activations(), top, n, grad);
            }
        }
        return grad;
    }

    /**
     * Accumulates the network's weight gradients for upstream {@code delta = dL/d(last layer)}
     * ({@code [2, n]}), layer by layer in Java: {@code dW = a^T delta} and the biases' sums as
     * dot products over the coordinates, then {@code delta W^T} masked by the ReLU for the layer
     * below. Each sum runs over the coordinates in a fixed order, so results do not depend on threads.
     */
    private void backpropagate(double[][] a, double[] delta, int n, double[] grad) {
        int[] w = shape.widths();
        int[] offsets = new int[weightValues.length];
        int off = shape.scheduleSize();
        for (int l = 0; l < weightValues.length; l++) {
            offsets[l] = off;
            off += w[l] * w[l + 1] + w[l + 1];
        }
        for (int l = weightValues.length - 1; l >= 0; l--) {
            int fanIn = w[l];
            int outs = w[l + 1];
            double[] below = a[l];
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < fanIn; i++) {
                    grad[offsets[l] + i + o * fanIn] += dot(below, i * n, delta, o * n, n);
                }
                double sum = 0;
                for (int j = o * n, end = j + n; j < end; j++) {
                    sum += delta[j];
                }
                grad[offsets[l] + fanIn * outs + o] += sum;
            }
            if (l == 0) {
                break;
            }
            double[] next = new double[fanIn * n];
            double[] wl = weightValues[l];
            for (int i = 0; i < fanIn; i++) {
                int row = i * n;
                for (int o = 0; o < outs; o++) {
                    double wio = wl[i + o * fanIn];
                    int from = o * n;
                    for (int j = 0; j < n; j++) {
                        next[row + j] += delta[from + j] * wio;
                    }
                }
                for (int j = row; j < row + n; j++) { // ReLU: the unit passed its input where its output is positive
                    next[j] = below[j] > 0 ? next[j] : 0.0;
                }
            }
            delta = next;
        }
    }

    /** {@code sum_j x[xs + j] y[ys + j]} over {@code n}, in four interleaved sums (the adds' latency). */
    private static double dot(double[] x, int xs, double[] y, int ys, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s0 += x[xs + j] * y[ys + j];
            s1 += x[xs + j + 1] * y[ys + j + 1];
            s2 += x[xs + j + 2] * y[ys + j + 2];
            s3 += x[xs + j + 3] * y[ys + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[xs + j] * y[ys + j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
