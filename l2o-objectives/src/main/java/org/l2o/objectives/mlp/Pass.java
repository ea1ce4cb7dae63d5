package org.l2o.objectives.mlp;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.l2o.kernels.Activations;
import org.l2o.kernels.Blas;
import org.l2o.api.DenseVectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Forward and backward passes of an {@link MlpClassifier} over up to {@code capacity} rows,
 * reusing preallocated native arrays. Activations are stored feature-major ({@code [units, rows]}
 * in column-major order, one sample per column), so every product is a GEMM on column-major
 * operands into a column-major output (straight through OpenBLAS, {@link Blas}), gathering a
 * minibatch is one bulk copy per sample, and the weight gradient comes out in the parameters' own
 * layout. Bias, nonlinearity, softmax and cross-entropy are Java loops over heap copies: on small
 * matrices each ND4J op costs more in overhead than the arithmetic (see performance-anchors.md).
 */
final class Pass {

    private final int[] sizes;
    private final int layers;
    private final MlpClassifier.Activation activation;
    private final DataType precision;
    private final int capacity;
    /** Weights [in, out] per layer (native, in the pass's precision) and biases (heap). */
    private final INDArray[] w;
    private final double[][] bias;
    /** Activations per layer, act[0] being the inputs: native [units, capacity] and heap copies. */
    private final INDArray[] act;
    private final double[][] actHeap;
    /** Backpropagated errors per layer (1..layers): native and heap. */
    private final INDArray[] delta;
    private final double[][] deltaHeap;
    /** Weight gradients per layer: native and heap. */
    private final INDArray[] gw;
    private final double[][] gwHeap;
    private final int[] offsets;
    private final int dimension;
    private float[] floats;
    private double[] params;
    private double[] gradient;
    private double[] block;
    private final java.util.Map<INDArray, INDArray> views = new java.util.IdentityHashMap<>();
    private int viewColumns = -1;
    /** Native views of the caller's parameter vector and gradient buffer, the same ones step after step. */
    private final DenseVectors.NativeView pointView = new DenseVectors.NativeView();
    private final DenseVectors.NativeView gradientView = new DenseVectors.NativeView();

    Pass(int[] sizes, MlpClassifier.Activation activation, DataType precision, int capacity) {
        this.sizes = sizes.clone();
        this.layers = sizes.length - 1;
        this.activation = activation;
        this.precision = precision;
        this.capacity = capacity;
        w = new INDArray[layers];
        gw = new INDArray[layers];
        gwHeap = new double[layers][];
        bias = new double[layers][];
        offsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            w[l] = Nd4j.create(precision, new long[] {sizes[l], sizes[l + 1]}, 'f');
            gw[l] = Nd4j.create(precision, new long[] {sizes[l], sizes[l + 1]}, 'f');
            gwHeap[l] = new double[sizes[l] * sizes[l + 1]];
            bias[l] = new double[sizes[l + 1]];
            offsets[l] = offset;
            offset += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        dimension = offset;
        act = new INDArray[layers + 1];
        actHeap = new double[layers + 1][];
        delta = new INDArray[layers + 1];
        deltaHeap = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            act[l] = Nd4j.create(precision, new long[] {sizes[l], capacity}, 'f');
            actHeap[l] = new double[sizes[l] * capacity];
            if (l > 0) {
                delta[l] = Nd4j.create(precision, new long[] {sizes[l], capacity}, 'f');
                deltaHeap[l] = new double[sizes[l] * capacity];
            }
        }
    }

    int capacity() {
        return capacity;
    }

    /**
     * Sets the parameters from the objective's flat vector: in double precision straight from its
     * native buffer into the weight arrays (one bulk copy per layer), otherwise through a reused
     * heap copy.
     */
    void load(INDArray x) {
        java.nio.ByteBuffer bytes = pointView.of(x);
        if (bytes == null) {
            load(DenseVectors.read(x, paramsHeap()));
            return;
        }
        DoubleBuffer src = bytes.asDoubleBuffer();
        for (int l = 0; l < layers; l++) {
            int n = sizes[l] * sizes[l + 1];
            if (precision == DataType.DOUBLE) {
                doublesOf(w[l]).put(0, src, offsets[l], n);
            } else {
                // converted block by block, so the values cross memory once each way
                FloatBuffer dst = floatsOf(w[l]);
                double[] d = doubleBlock();
                float[] f = floats(BLOCK);
                for (int k = 0; k < n; k += BLOCK) {
                    int len = Math.min(BLOCK, n - k);
                    src.get(offsets[l] + k, d, 0, len);
                    for (int i = 0; i < len; i++) {
                        f[i] = (float) d[i];
                    }
                    dst.put(k, f, 0, len);
                }
            }
            src.get(offsets[l] + n, bias[l], 0, sizes[l + 1]);
        }
    }

    /** Values converted per block between precisions: few enough to stay in the first-level cache. */
    private static final int BLOCK = 2048;

    private double[] doubleBlock() {
        if (block == null) {
            block = new double[BLOCK];
        }
        return block;
    }

    /**
     * Writes the gradient of the last {@link #run} (over one chunk, told to leave the weight
     * entries here) into the native vector {@code dest}: each weight block straight from its
     * native weight-gradient array (converted block by block in single precision), the bias
     * entries from {@code gradient}. The same values as the heap path, with fewer passes over
     * memory.
     */
    void exportGradient(double[] gradient, INDArray dest) {
        java.nio.ByteBuffer bytes = gradientView.of(dest);
        if (bytes == null) {
            for (int l = 0; l < layers; l++) {
                getInto(gw[l], sizes[l] * sizes[l + 1], gradient, offsets[l]);
            }
            DenseVectors.write(gradient, dest);
            return;
        }
        DoubleBuffer out = bytes.asDoubleBuffer();
        for (int l = 0; l < layers; l++) {
            int n = sizes[l] * sizes[l + 1];
            int offset = offsets[l];
            if (precision == DataType.DOUBLE) {
                out.put(offset, doublesOf(gw[l]), 0, n);
            } else {
                FloatBuffer src = floatsOf(gw[l]);
                double[] d = doubleBlock();
                float[] f = floats(BLOCK);
                for (int k = 0; k < n; k += BLOCK) {
                    int len = Math.min(BLOCK, n - k);
                    src.get(k, f, 0, len);
                    for (int i = 0; i < len; i++) {
                        d[i] = f[i];
                    }
                    out.put(offset + k, d, 0, len);
                }
            }
            out.put(offset + n, gradient, offset + n, sizes[l + 1]);
        }
    }

    private double[] paramsHeap() {
        if (params == null) {
            params = new double[dimension];
        }
        return params;
    }

    /**
     * The gradient array owned by this pass; {@code clear} readies it for {@link #run} from row 0
     * (the weight entries are overwritten by the first chunk, so only the bias entries are
     * cleared). Callers copy it out before the next pass.
     */
    double[] gradientScratch(boolean clear) {
        if (gradient == null) {
            gradient = new double[dimension];
        }
        if (!clear) {
            return gradient;
        }
        for (int l = 0; l < layers; l++) {
            int start = offsets[l] + sizes[l] * sizes[l + 1];
            java.util.Arrays.fill(gradient, start, start + sizes[l + 1], 0.0);
        }
        return gradient;
    }

    /** Sets the parameters (the objective's flat layout: per layer W column-major, then b). */
    void load(double[] params) {
        for (int l = 0; l < layers; l++) {
            int n = sizes[l] * sizes[l + 1];
            put(params, offsets[l], n, w[l]);
            System.arraycopy(params, offsets[l] + n, bias[l], 0, sizes[l + 1]);
        }
    }

    /**
     * Summed loss over rows {@code [start, end)} of {@code data} (through {@code index} when not
     * null); adds {@code scale} times the gradient into {@code gradient} when it is not null (the
     * chunk starting at row 0 overwrites the weight entries instead, so callers pass a fresh array
     * and run chunks in order).
     */
    double run(Inputs data, int[] index, int start, int end, double[] gradient, double scale) {
        return run(data, index, start, end, gradient, scale, false);
    }

    /**
     * {@link #run}; with {@code weightsStayNative} (for a single chunk from row 0) the weight
     * entries of {@code gradient} are left alone and {@link #exportGradient} writes them.
     */
    double run(Inputs data, int[] index, int start, int end, double[] gradient, double scale,
               boolean weightsStayNative) {
        int m = end - start;
        gather(data, index, start, m);
        for (int l = 1; l <= layers; l++) {
            Blas.gemm(w[l - 1], columns(act[l - 1], m), columns(act[l], m), true, false, 1.0, 0.0);
            int units = sizes[l];
            double[] z = get(act[l], units * m, actHeap[l]);
            double[] b = bias[l - 1];
            for (int i = 0; i < m; i++) {
                int row = i * units;
                for (int j = 0; j < units; j++) {
                    z[row + j] += b[j];
                }
            }
            if (l < layers) {
                activate(z, units * m);
                put(z, 0, units * m, act[l]);
            }
        }
        double loss = softmaxCrossEntropy(data, index, start, m, gradient != null, scale);
        if (gradient == null) {
            return loss;
        }
        for (int l = layers; l >= 1; l--) {
            int in = sizes[l - 1];
            int out = sizes[l];
            put(deltaHeap[l], 0, out * m, delta[l]);
            Blas.gemm(columns(act[l - 1], m), columns(delta[l], m), gw[l - 1], false, true, 1.0, 0.0);
            int offset = offsets[l - 1];
            if (weightsStayNative) {
                // exportGradient copies it from gw
            } else if (start == 0) {
                // the first chunk writes its weight gradient in place; later chunks add theirs
                getInto(gw[l - 1], in * out, gradient, offset);
            } else {
                double[] g = get(gw[l - 1], in * out, gwHeap[l - 1]);
                for (int k = 0; k < in * out; k++) {
                    gradient[offset + k] += g[k];
                }
            }
            double[] d = deltaHeap[l];
            int biasOffset = offset + in * out;
            for (int i = 0; i < m; i++) {
                int row = i * out;
                for (int j = 0; j < out; j++) {
                    gradient[biasOffset + j] += d[row + j];
                }
            }
            if (l > 1) {
                Blas.gemm(w[l - 1], columns(delta[l], m), columns(delta[l - 1], m), false, false, 1.0, 0.0);
                double[] back = get(delta[l - 1], in * m, deltaHeap[l - 1]);
                derivativeTimes(actHeap[l - 1], back, in * m);
            }
        }
        return loss;
    }

    /** Inputs of the chunk into act[0], one bulk copy per sample. */
    private void gather(Inputs data, int[] index, int start, int m) {
        int f = sizes[0];
        if (precision == DataType.FLOAT) {
            FloatBuffer src = floatsOf(data.single());
            FloatBuffer dst = floatsOf(act[0]);
            for (int i = 0; i < m; i++) {
                int row = index == null ? start + i : index[start + i];
                dst.put(i * f, src, row * f, f);
            }
        } else {
            DoubleBuffer src = doublesOf(data.x());
            DoubleBuffer dst = doublesOf(act[0]);
            for (int i = 0; i < m; i++) {
                int row = index == null ? start + i : index[start + i];
                dst.put(i * f, src, row * f, f);
            }
        }
    }

    /** Mean-free summed cross-entropy of the logits in actHeap; the output error into deltaHeap. */
    private double softmaxCrossEntropy(Inputs data, int[] index, int start, int m, boolean gradient, double scale) {
        int c = sizes[layers];
        double[] z = actHeap[layers];
        double[] d = deltaHeap[layers];
        int[] labels = data.labels();
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int row = i * c;
            int label = labels[index == null ? start + i : index[start + i]];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(z[row + j] - max);
                d[row + j] = e;
                sum += e;
            }
            loss += Math.log(sum) - (z[row + label] - max);
            if (gradient) {
                double norm = scale / sum;
                for (int j = 0; j < c; j++) {
                    d[row + j] *= norm;
                }
                d[row + label] -= scale;
            }
        }
        return loss;
    }

    private void activate(double[] z, int n) {
        switch (activation) {
            // vectorised forms, within 5e-9 of the exact functions (see Activations)
            case SIGMOID -> Activations.sigmoid(z, z, n);
            case TANH -> Activations.tanh(z, z, n);
            case RELU -> {
                for (int k = 0; k < n; k++) {
                    z[k] = Math.max(z[k], 0.0);
                }
            }
            case SOFTPLUS -> {
                // log(1 + exp(z)) without overflow: max(z, 0) + log1p(exp(-|z|))
                for (int k = 0; k < n; k++) {
                    double v = z[k];
                    z[k] = Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
                }
            }
        }
    }

    /** {@code back *= f'(z)}, with the derivative expressed through the activation {@code a = f(z)}. */
    private void derivativeTimes(double[] a, double[] back, int n) {
        switch (activation) {
            case SIGMOID -> {
                for (int k = 0; k < n; k++) {
                    back[k] *= a[k] * (1 - a[k]);
                }
            }
            case TANH -> {
                for (int k = 0; k < n; k++) {
                    back[k] *= 1 - a[k] * a[k];
                }
            }
            case RELU -> {
                for (int k = 0; k < n; k++) {
                    back[k] = a[k] > 0 ? back[k] : 0.0;
                }
            }
            case SOFTPLUS -> {
                // softplus'(z) = sigmoid(z) = 1 - exp(-a)
                for (int k = 0; k < n; k++) {
                    back[k] *= -Math.expm1(-a[k]);
                }
            }
        }
    }

    /*
     * NIO views of the pass's native arrays (and the dataset's), made once: ND4J builds a new
     * buffer object through JNI on every asNio call, a cost paid about ten times a step. Only
     * absolute gets and puts are used, so one view per array serves every call of this thread.
     */
    private final java.util.Map<INDArray, FloatBuffer> floatViews = new java.util.IdentityHashMap<>();
    private final java.util.Map<INDArray, DoubleBuffer> doubleViews = new java.util.IdentityHashMap<>();

    private FloatBuffer floatsOf(INDArray a) {
        return floatViews.computeIfAbsent(a, b -> b.data().asNioFloat());
    }

    private DoubleBuffer doublesOf(INDArray a) {
        return doubleViews.computeIfAbsent(a, b -> b.data().asNioDouble());
    }

    /**
     * The first {@code m} columns of a [units, capacity] column-major matrix. Views are kept for
     * the last {@code m} asked for: creating one costs ND4J tens of microseconds, and a minibatch
     * pass asks for the same few views at every step.
     */
    private INDArray columns(INDArray a, int m) {
        if (m == capacity) {
            return a;
        }
        if (m != viewColumns) {
            views.clear();
            viewColumns = m;
        }
        return views.computeIfAbsent(a, full -> full.get(NDArrayIndex.all(), NDArrayIndex.interval(0, m)));
    }

    /** The first {@code n} values of a native array into a heap array. */
    private double[] get(INDArray a, int n, double[] into) {
        getInto(a, n, into, 0);
        return into;
    }

    /** The first {@code n} values of a native array into {@code into[offset .. offset + n)}. */
    private void getInto(INDArray a, int n, double[] into, int offset) {
        if (precision == DataType.FLOAT) {
            float[] f = floats(n);
            floatsOf(a).get(0, f, 0, n);
            for (int k = 0; k < n; k++) {
                into[offset + k] = f[k];
            }
        } else {
            doublesOf(a).get(0, into, offset, n);
        }
    }

    /** {@code from[offset .. offset + n)} into the first {@code n} values of a native array. */
    private void put(double[] from, int offset, int n, INDArray a) {
        if (precision == DataType.FLOAT) {
            float[] f = floats(n);
            for (int k = 0; k < n; k++) {
                f[k] = (float) from[offset + k];
            }
            floatsOf(a).put(0, f, 0, n);
        } else {
            doublesOf(a).put(0, from, offset, n);
        }
    }

    private float[] floats(int n) {
        if (floats == null || floats.length < n) {
            floats = new float[n];
        }
        return floats;
    }
}
