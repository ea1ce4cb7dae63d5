package org.l2o.policies.learned;

import java.util.ArrayList;
import java.util.List;
import org.l2o.kernels.Activations;
import org.l2o.kernels.Blas;
import org.l2o.api.DenseVectors;
import org.l2o.api.update.CoordinatewisePolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The coordinatewise LSTM optimizer of Andrychowicz et al. 2016 (the coordinatewise LSTM, gradient preprocessing): optional log/sign
 * preprocessing of each gradient component, stacked LSTM layers (20 and 20 units by default) with
 * weights shared by all coordinates and a state per coordinate, a linear output times an output
 * scale. Gates are ordered input, forget, cell, output; a constant forget bias (1 by default, as in
 * Sonnet) is added to the forget gate. Parameters per layer: {@code Wx [4H x I]}, {@code Wh [4H x H]},
 * {@code b [4H]} (row-major), then the output weights {@code [H]} and bias. Without preprocessing
 * the network may take several inputs per coordinate (the observation features of Li & Malik 2017, one
 * LSTM layer of 128 cells in Li and Malik 2017). Immutable.
 */
final class LstmPolicy implements CoordinatewisePolicy {

    private final int[] hidden;
    private final boolean logSign;
    private final double p;
    private final double outputScale;
    private final double forgetBias;
    private final int observed;
    private final double[] inputScale;
    private final double[] params;
    private final int[] offsets; // start of each layer's Wx, then the output layer
    private final int inputSize;
    private final INDArray[] weights;
    private final double[][] gateScale;
    private final double[][] gateShift;

    LstmPolicy(int[] hidden, boolean logSign, double p, double outputScale, double forgetBias, double[] params) {
        this(hidden, logSign, p, 1, null, outputScale, forgetBias, params);
    }

    /**
     * @param inputs     inputs per coordinate (1 with log/sign preprocessing)
     * @param inputScale per input, a fixed multiplier applied before the network (null: none)
     */
    LstmPolicy(int[] hidden, boolean logSign, double p, int inputs, double[] inputScale, double outputScale,
               double forgetBias, double[] params) {
        if (logSign && inputs != 1) {
            throw new IllegalArgumentException("log/sign preprocessing takes one input (the gradient), not " + inputs);
        }
        if (inputScale != null && inputScale.length != inputs) {
            throw new IllegalArgumentException(inputScale.length + " input scales for " + inputs + " inputs");
        }
        this.inputScale = inputScale == null ? null : inputScale.clone();
        this.hidden = hidden.clone();
        this.logSign = logSign;
        this.p = p;
        this.outputScale = outputScale;
        this.forgetBias = forgetBias;
        this.observed = inputs;
        this.inputSize = logSign ? 2 : inputs;
        this.offsets = new int[hidden.length + 1];
        int off = 0;
        int in = inputSize;
        for (int l = 0; l < hidden.length; l++) {
            offsets[l] = off;
            int h = hidden[l];
            off += 4 * h * in + 4 * h * h + 4 * h;
            in = h;
        }
        offsets[hidden.length] = off;
        int expected = off + hidden[hidden.length - 1] + 1;
        if (params.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " parameters, got " + params.length);
        }
        this.params = params;
        // Per layer: [Wx | Wh] as a column-major [K, 4H] matrix (column r = gate row r), and the
        // affine map applied before the shared tanh: sigmoid gates take z / 2, the cell gate z.
        this.weights = new INDArray[hidden.length];
        this.gateScale = new double[hidden.length][];
        this.gateShift = new double[hidden.length][];
        int in2 = inputSize;
        for (int l = 0; l < hidden.length; l++) {
            int h = hidden[l];
            int k = in2 + h;
            int wx = offsets[l];
            int wh = wx + 4 * h * in2;
            int b = wh + 4 * h * h;
            double[] w = new double[k * 4 * h];
            double[] scale = new double[4 * h];
            double[] shift = new double[4 * h];
            for (int r = 0; r < 4 * h; r++) {
                System.arraycopy(params, wx + r * in2, w, r * k, in2);
                System.arraycopy(params, wh + r * h, w, r * k + in2, h);
                int gate = r / h;
                scale[r] = gate == 2 ? 1.0 : 0.5;
                shift[r] = scale[r] * (params[b + r] + (gate == 1 ? forgetBias : 0));
            }
            INDArray wf = Nd4j.create(DataType.DOUBLE, new long[] {k, 4L * h}, 'f');
            DenseVectors.toBuffer(w, wf);
            weights[l] = wf;
            gateScale[l] = scale;
            gateShift[l] = shift;
            in2 = h;
        }
    }

    static int parameterCount(int[] hidden, boolean logSign) {
        return parameterCount(hidden, logSign ? 2 : 1);
    }

    /** Parameters of a network whose first layer takes {@code in} values per coordinate. */
    static int parameterCount(int[] hidden, int in) {
        int n = 0;
        for (int h : hidden) {
            n += 4 * h * in + 4 * h * h + 4 * h;
            in = h;
        }
        return n + hidden[hidden.length - 1] + 1;
    }

    @Override
    public int inputSize() {
        return observed;
    }

    @Override
    public int stateSize() {
        int s = 0;
        for (int h : hidden) {
            s += 2 * h;
        }
        return s;
    }

    /**
     * Per step and layer, feature-major ({@code [features, n]} row-major, one row per unit): the
     * stacked input {@code [x; h_prev]}, gate activations (blocks i, f, g, o), previous cell,
     * tanh of the new cell; and the top layer's output.
     */
    private static final class Record {
        final double[][] u;
        final double[][] gates;
        final double[][] cPrev;
        final double[][] tanhC;
        double[] top;

        Record(int layers) {
            u = new double[layers][];
            gates = new double[layers][];
            cPrev = new double[layers][];
            tanhC = new double[layers][];
        }
    }

    private static final class LstmTape implements Tape {
        final List<Record> records = new ArrayList<>();

        @Override
        public int steps() {
            return records.size();
        }
    }

    @Override
    public Tape newTape(int coordinates) {
        return new LstmTape();
    }

    /** Native scratch arrays reused by a thread across steps; a slot per layer and role. */
    private static final ThreadLocal<List<INDArray>> SCRATCH = ThreadLocal.withInitial(ArrayList::new);

    /** Heap scratch arrays for steps without a tape (a run's inference), reused by a thread. */
    private static final ThreadLocal<java.util.Map<Long, double[]>> HEAP =
            ThreadLocal.withInitial(java.util.HashMap::new);

    /**
     * A heap array of exactly {@code size} values: with a tape every step keeps its own arrays; without
     * one they are reused across steps (at 22,210 coordinates and 128 cells a step touches ~90 MB),
     * one per slot and size, so the networks of several coordinate groups each keep theirs.
     */
    private static double[] buffer(boolean reuse, int slot, int size) {
        if (!reuse) {
            return new double[size];
        }
        return HEAP.get().computeIfAbsent(((long) slot << 32) | size, key -> new double[size]);
    }

    /** A column-major {@code [rows, cols]} scratch array: its buffer is the heap layout {@code [cols][rows]}. */
    private static INDArray scratch(int slot, int rows, int cols) {
        List<INDArray> slots = SCRATCH.get();
        while (slots.size() <= slot) {
            slots.add(null);
        }
        INDArray a = slots.get(slot);
        if (a == null || a.rows() != rows || a.columns() != cols) {
            a = Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'f');
            slots.set(slot, a);
        }
        return a;
    }

    /**
     * One step for all n coordinates at once. Everything is feature-major: the recurrent state is,
     * per layer, the block {@code h [H, n]} then {@code c [H, n]}, so every elementwise loop runs
     * over all coordinates of one unit (long, vectorisable) and the pre-activations of a layer are
     * one GEMM, {@code [n, K] x [K, 4H]} with {@code K = in + H}. Sigmoid gates are computed as
     * {@code (1 + tanh(z / 2)) / 2}, so one {@link Activations#tanh} pass serves all four.
     */
    @Override
    public double[] step(double[] gradients, double[] state, double[] next, Tape tape) {
        if (gradients.length % observed != 0) {
            throw new IllegalArgumentException(gradients.length + " inputs are not " + observed + " per coordinate");
        }
        int n = gradients.length / observed;
        int layers = hidden.length;
        Record rec = tape == null ? null : new Record(layers);
        double[] x = new double[n * inputSize];
        if (logSign) {
            double[] pair = new double[2];
            for (int j = 0; j < n; j++) {
                LogSign.apply(gradients[j], p, pair, 0);
                x[j] = pair[0];
                x[n + j] = pair[1];
            }
        } else if (inputScale == null) {
            System.arraycopy(gradients, 0, x, 0, n * inputSize);
        } else {
            for (int r = 0; r < inputSize; r++) {
                double a = inputScale[r];
                int row = r * n;
                for (int j = 0; j < n; j++) {
                    x[row + j] = gradients[row + j] * a;
                }
            }
        }
        int in = inputSize;
        int stateOffset = 0;
        for (int l = 0; l < layers; l++) {
            int h = hidden[l];
            int k = in + h;
            int hn = h * n;
            boolean reuse = rec == null;
            double[] u = buffer(reuse, 6 * l, k * n);
            System.arraycopy(x, 0, u, 0, in * n);
            System.arraycopy(state, stateOffset, u, in * n, hn);
            double[] cPrev = buffer(reuse, 6 * l + 1, hn);
            System.arraycopy(state, stateOffset + hn, cPrev, 0, hn);
            INDArray uf = scratch(4 * l, n, k);
            DenseVectors.toBuffer(u, uf);
            INDArray af = scratch(4 * l + 1, n, 4 * h);
            Blas.gemm(uf, weights[l], af, false, false, 1.0, 0.0);
            double[] gates = DenseVectors.fromBuffer(af, buffer(reuse, 6 * l + 2, 4 * hn));
            double[] scale = gateScale[l];
            double[] shift = gateShift[l];
            for (int r = 0; r < 4 * h; r++) {
                double a = scale[r];
                double b = shift[r];
                int row = r * n;
                for (int j = 0; j < n; j++) {
                    gates[row + j] = gates[row + j] * a + b;
                }
            }
            Activations.tanh(gates, gates, 4 * hn);
            // blocks i and f, and o, are sigmoids: (1 + tanh) / 2; block g stays tanh
            for (int e = 0; e < 2 * hn; e++) {
                gates[e] = 0.5 + 0.5 * gates[e];
            }
            for (int e = 3 * hn; e < 4 * hn; e++) {
                gates[e] = 0.5 + 0.5 * gates[e];
            }
            double[] c = buffer(reuse, 6 * l + 3, hn);
            for (int e = 0; e < hn; e++) {
                c[e] = gates[hn + e] * cPrev[e] + gates[e] * gates[2 * hn + e];
            }
            double[] tanhC = buffer(reuse, 6 * l + 4, hn);
            Activations.tanh(c, tanhC, hn);
            double[] hNew = buffer(reuse, 6 * l + 5, hn);
            for (int e = 0; e < hn; e++) {
                hNew[e] = gates[3 * hn + e] * tanhC[e];
            }
            System.arraycopy(hNew, 0, next, stateOffset, hn);
            System.arraycopy(c, 0, next, stateOffset + hn, hn);
            if (rec != null) {
                rec.u[l] = u;
                rec.gates[l] = gates;
                rec.cPrev[l] = cPrev;
                rec.tanhC[l] = tanhC;
            }
            x = hNew;
            in = h;
            stateOffset += 2 * hn;
        }
        int o = offsets[layers];
        int top = hidden[layers - 1];
        double[] out = new double[n];
        java.util.Arrays.fill(out, params[o + top]);
        for (int q = 0; q < top; q++) {
            double w = params[o + q];
            int row = q * n;
            for (int j = 0; j < n; j++) {
                out[j] += w * x[row + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] *= outputScale;
        }
        if (rec != null) {
            rec.top = x;
            ((LstmTape) tape).records.add(rec);
        }
        return out;
    }

    /**
     * Backpropagation through the recorded steps, batched like the forward pass: per step and
     * layer, the weight gradient accumulates {@code [K, n] x [n, 4H]} and the error flowing to the
     * input and the previous hidden state is {@code [n, 4H] x [4H, K]}.
     */
    @Override
    public double[] backward(Tape tape, double[][] outputGradients) {
        List<Record> recs = ((LstmTape) tape).records;
        int layers = hidden.length;
        int top = hidden[layers - 1];
        int n = recs.get(0).top.length / top;
        double[] grad = new double[params.length];
        INDArray[] gw = new INDArray[layers];
        double[][] dhNext = new double[layers][];
        double[][] dcNext = new double[layers][];
        // per-layer work arrays, reused by every step: the errors carried to the previous step are
        // double-buffered (read at this step, written for the next one), the rest is overwritten
        double[][] dhSpare = new double[layers][];
        double[][] dcSpare = new double[layers][];
        double[][] daBuf = new double[layers][];
        double[][] duBuf = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? inputSize : hidden[l - 1];
            gw[l] = Nd4j.create(DataType.DOUBLE, new long[] {in + hidden[l], 4L * hidden[l]}, 'f');
            dhNext[l] = new double[n * hidden[l]];
            dcNext[l] = new double[n * hidden[l]];
            dhSpare[l] = new double[n * hidden[l]];
            dcSpare[l] = new double[n * hidden[l]];
            daBuf[l] = new double[4 * n * hidden[l]];
            duBuf[l] = new double[(in + hidden[l]) * n];
        }
        int o = offsets[layers];
        double[] dy = new double[n];
        double[] dTop = new double[n * top];
        for (int t = recs.size() - 1; t >= 0; t--) {
            Record r = recs.get(t);
            double dySum = 0;
            for (int j = 0; j < n; j++) {
                dy[j] = outputScale * outputGradients[t][j];
                dySum += dy[j];
            }
            grad[o + top] += dySum;
            double[] dAbove = dTop;
            for (int q = 0; q < top; q++) {
                double w = params[o + q];
                int row = q * n;
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += dy[j] * r.top[row + j];
                    dAbove[row + j] = dy[j] * w;
                }
                grad[o + q] += acc;
            }
            for (int l = layers - 1; l >= 0; l--) {
                int h = hidden[l];
                int in = l == 0 ? inputSize : hidden[l - 1];
                int k = in + h;
                int hn = h * n;
                int b = offsets[l] + 4 * h * in + 4 * h * h;
                double[] gates = r.gates[l];
                double[] tanhC = r.tanhC[l];
                double[] cPrev = r.cPrev[l];
                double[] dhn = dhNext[l];
                double[] dcn = dcNext[l];
                double[] da = daBuf[l];
                double[] dcPrev = dcSpare[l];
                for (int e = 0; e < hn; e++) {
                    double dh = dAbove[e] + dhn[e];
                    double ig = gates[e];
                    double fg = gates[hn + e];
                    double gg = gates[2 * hn + e];
                    double og = gates[3 * hn + e];
                    double tc = tanhC[e];
                    double dc = dh * og * (1 - tc * tc) + dcn[e];
                    da[e] = dc * gg * ig * (1 - ig);
                    da[hn + e] = dc * cPrev[e] * fg * (1 - fg);
                    da[2 * hn + e] = dc * ig * (1 - gg * gg);
                    da[3 * hn + e] = dh * tc * og * (1 - og);
                    dcPrev[e] = dc * fg;
                }
                for (int q = 0; q < 4 * h; q++) {
                    int row = q * n;
                    double acc = 0;
                    for (int j = 0; j < n; j++) {
                        acc += da[row + j];
                    }
                    grad[b + q] += acc;
                }
                INDArray daf = scratch(4 * l + 2, n, 4 * h);
                DenseVectors.toBuffer(da, daf);
                INDArray uf = scratch(4 * l, n, k);
                DenseVectors.toBuffer(r.u[l], uf);
                Blas.gemm(uf, daf, gw[l], true, false, 1.0, 1.0);
                INDArray duf = scratch(4 * l + 3, n, k);
                Blas.gemm(daf, weights[l], duf, false, true, 1.0, 0.0);
                double[] du = DenseVectors.fromBuffer(duf, duBuf[l]);
                double[] dhPrev = dhSpare[l];
                System.arraycopy(du, in * n, dhPrev, 0, hn);
                dhSpare[l] = dhn;
                dcSpare[l] = dcn;
                dhNext[l] = dhPrev;
                dcNext[l] = dcPrev;
                // the error reaching the layer below is the first in * n values of du, which
                // stays untouched until this layer's next step
                dAbove = l > 0 ? du : null;
            }
        }
        for (int l = 0; l < layers; l++) {
            int h = hidden[l];
            int in = l == 0 ? inputSize : hidden[l - 1];
            int k = in + h;
            int wx = offsets[l];
            int wh = wx + 4 * h * in;
            double[] g = DenseVectors.fromBuffer(gw[l], new double[k * 4 * h]);
            for (int row = 0; row < 4 * h; row++) {
                for (int q = 0; q < in; q++) {
                    grad[wx + row * in + q] += g[row * k + q];
                }
                for (int q = 0; q < h; q++) {
                    grad[wh + row * h + q] += g[row * k + in + q];
                }
            }
        }
        return grad;
    }

    @Override
    public INDArray parameters() {
        return Nd4j.createFromArray(params.clone());
    }

    @Override
    public CoordinatewisePolicy withParameters(INDArray parameters) {
        return new LstmPolicy(hidden, logSign, p, observed, inputScale, outputScale, forgetBias,
                parameters.toDoubleVector());
    }
}
