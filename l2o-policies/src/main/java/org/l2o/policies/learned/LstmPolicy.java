package org.l2o.policies.learned;

import java.util.ArrayList;
import java.util.List;
import org.l2o.api.update.CoordinatewisePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The coordinatewise LSTM optimizer of Andrychowicz et al. 2016 (spec 4.1-4.2): optional log/sign
 * preprocessing of each gradient component, stacked LSTM layers (20 and 20 units by default) with
 * weights shared by all coordinates and a state per coordinate, a linear output times an output
 * scale. Gates are ordered input, forget, cell, output; a constant forget bias (1 by default, as in
 * Sonnet) is added to the forget gate. Parameters per layer: {@code Wx [4H x I]}, {@code Wh [4H x H]},
 * {@code b [4H]} (row-major), then the output weights {@code [H]} and bias. Immutable.
 */
final class LstmPolicy implements CoordinatewisePolicy {

    private final int[] hidden;
    private final boolean logSign;
    private final double p;
    private final double outputScale;
    private final double forgetBias;
    private final double[] params;
    private final int[] offsets; // start of each layer's Wx, then the output layer
    private final int inputSize;

    LstmPolicy(int[] hidden, boolean logSign, double p, double outputScale, double forgetBias, double[] params) {
        this.hidden = hidden.clone();
        this.logSign = logSign;
        this.p = p;
        this.outputScale = outputScale;
        this.forgetBias = forgetBias;
        this.inputSize = logSign ? 2 : 1;
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
    }

    static int parameterCount(int[] hidden, boolean logSign) {
        int in = logSign ? 2 : 1;
        int n = 0;
        for (int h : hidden) {
            n += 4 * h * in + 4 * h * h + 4 * h;
            in = h;
        }
        return n + hidden[hidden.length - 1] + 1;
    }

    @Override
    public int stateSize() {
        int s = 0;
        for (int h : hidden) {
            s += 2 * h;
        }
        return s;
    }

    /** Per step: layer inputs, gate activations, previous and new cell, previous hidden, per coordinate. */
    private static final class Record {
        double[][] input; // [layer][n * in_l]
        double[][] gates; // [layer][n * 4H]
        double[][] cPrev;
        double[][] c;
        double[][] hPrev;
        double[] top; // [n * H_last]
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

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public double[] step(double[] gradients, double[] state, double[] next, Tape tape) {
        int n = gradients.length;
        int layers = hidden.length;
        int ss = stateSize();
        Record rec = tape == null ? null : new Record();
        if (rec != null) {
            rec.input = new double[layers][];
            rec.gates = new double[layers][];
            rec.cPrev = new double[layers][];
            rec.c = new double[layers][];
            rec.hPrev = new double[layers][];
        }
        double[] x = new double[n * inputSize];
        for (int j = 0; j < n; j++) {
            if (logSign) {
                LogSign.apply(gradients[j], p, x, 2 * j);
            } else {
                x[j] = gradients[j];
            }
        }
        int in = inputSize;
        int stateOffset = 0;
        for (int l = 0; l < layers; l++) {
            int h = hidden[l];
            int wx = offsets[l];
            int wh = wx + 4 * h * in;
            int b = wh + 4 * h * h;
            double[] gates = new double[n * 4 * h];
            double[] cPrev = new double[n * h];
            double[] hPrev = new double[n * h];
            double[] cNew = new double[n * h];
            double[] hNew = new double[n * h];
            for (int j = 0; j < n; j++) {
                int s = j * ss + stateOffset;
                System.arraycopy(state, s, hPrev, j * h, h);
                System.arraycopy(state, s + h, cPrev, j * h, h);
                for (int r = 0; r < 4 * h; r++) {
                    double a = params[b + r];
                    int row = wx + r * in;
                    for (int k = 0; k < in; k++) {
                        a += params[row + k] * x[j * in + k];
                    }
                    int rowh = wh + r * h;
                    for (int k = 0; k < h; k++) {
                        a += params[rowh + k] * hPrev[j * h + k];
                    }
                    int gate = r / h;
                    gates[j * 4 * h + r] = gate == 2 ? Math.tanh(a) : sigmoid(gate == 1 ? a + forgetBias : a);
                }
                for (int k = 0; k < h; k++) {
                    double ig = gates[j * 4 * h + k];
                    double fg = gates[j * 4 * h + h + k];
                    double gg = gates[j * 4 * h + 2 * h + k];
                    double og = gates[j * 4 * h + 3 * h + k];
                    double c = fg * cPrev[j * h + k] + ig * gg;
                    cNew[j * h + k] = c;
                    hNew[j * h + k] = og * Math.tanh(c);
                    next[s + k] = hNew[j * h + k];
                    next[s + h + k] = c;
                }
            }
            if (rec != null) {
                rec.input[l] = x;
                rec.gates[l] = gates;
                rec.cPrev[l] = cPrev;
                rec.c[l] = cNew;
                rec.hPrev[l] = hPrev;
            }
            x = hNew;
            in = h;
            stateOffset += 2 * h;
        }
        int o = offsets[layers];
        int top = hidden[layers - 1];
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double y = params[o + top];
            for (int k = 0; k < top; k++) {
                y += params[o + k] * x[j * top + k];
            }
            out[j] = outputScale * y;
        }
        if (rec != null) {
            rec.top = x;
            ((LstmTape) tape).records.add(rec);
        }
        return out;
    }

    @Override
    public double[] backward(Tape tape, double[][] outputGradients) {
        List<Record> recs = ((LstmTape) tape).records;
        int layers = hidden.length;
        int n = recs.get(0).top.length / hidden[layers - 1];
        double[] grad = new double[params.length];
        double[][] dhNext = new double[layers][];
        double[][] dcNext = new double[layers][];
        for (int l = 0; l < layers; l++) {
            dhNext[l] = new double[n * hidden[l]];
            dcNext[l] = new double[n * hidden[l]];
        }
        int o = offsets[layers];
        int top = hidden[layers - 1];
        for (int t = recs.size() - 1; t >= 0; t--) {
            Record r = recs.get(t);
            double[] dAbove = new double[n * top];
            for (int j = 0; j < n; j++) {
                double dy = outputScale * outputGradients[t][j];
                if (dy == 0) {
                    continue;
                }
                for (int k = 0; k < top; k++) {
                    grad[o + k] += dy * r.top[j * top + k];
                    dAbove[j * top + k] = dy * params[o + k];
                }
                grad[o + top] += dy;
            }
            for (int l = layers - 1; l >= 0; l--) {
                int h = hidden[l];
                int in = l == 0 ? inputSize : hidden[l - 1];
                int wx = offsets[l];
                int wh = wx + 4 * h * in;
                int b = wh + 4 * h * h;
                double[] dBelow = l == 0 ? null : new double[n * in];
                double[] dhPrev = new double[n * h];
                double[] dcPrev = new double[n * h];
                double[] da = new double[4 * h];
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < h; k++) {
                        int q = j * h + k;
                        double dh = dAbove[q] + dhNext[l][q];
                        double ig = r.gates[l][j * 4 * h + k];
                        double fg = r.gates[l][j * 4 * h + h + k];
                        double gg = r.gates[l][j * 4 * h + 2 * h + k];
                        double og = r.gates[l][j * 4 * h + 3 * h + k];
                        double tc = Math.tanh(r.c[l][q]);
                        double dc = dh * og * (1 - tc * tc) + dcNext[l][q];
                        da[k] = dc * gg * ig * (1 - ig);
                        da[h + k] = dc * r.cPrev[l][q] * fg * (1 - fg);
                        da[2 * h + k] = dc * ig * (1 - gg * gg);
                        da[3 * h + k] = dh * tc * og * (1 - og);
                        dcPrev[q] = dc * fg;
                    }
                    for (int row = 0; row < 4 * h; row++) {
                        double a = da[row];
                        if (a == 0) {
                            continue;
                        }
                        int rx = wx + row * in;
                        for (int k = 0; k < in; k++) {
                            grad[rx + k] += a * r.input[l][j * in + k];
                            if (dBelow != null) {
                                dBelow[j * in + k] += a * params[rx + k];
                            }
                        }
                        int rh = wh + row * h;
                        for (int k = 0; k < h; k++) {
                            grad[rh + k] += a * r.hPrev[l][j * h + k];
                            dhPrev[j * h + k] += a * params[rh + k];
                        }
                        grad[b + row] += a;
                    }
                }
                dhNext[l] = dhPrev;
                dcNext[l] = dcPrev;
                dAbove = dBelow;
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
        return new LstmPolicy(hidden, logSign, p, outputScale, forgetBias, parameters.toDoubleVector());
    }
}
