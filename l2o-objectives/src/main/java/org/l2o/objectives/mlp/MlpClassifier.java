package org.l2o.objectives.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multilayer perceptron with softmax cross-entropy (mean over samples). Parameters are, per
 * layer, a weight matrix {@code W_l} of shape [in, out] stored column-major and a bias {@code b_l};
 * each is one coordinate group. The optimizer observes minibatch estimates; the true objective is
 * the loss on the evaluation set (all training samples, or a fixed subset), computed in chunks.
 * The arithmetic runs in {@link Pass} in double or single precision; parameters, values and
 * gradients are double either way.
 */
final class MlpClassifier implements Objective {

    /** Hidden-layer nonlinearity. */
    enum Activation { RELU, SIGMOID, TANH, SOFTPLUS }

    /** Initialisation: Glorot (Xavier) uniform or He normal weights with zero biases; or N(0, std^2) for all. */
    enum Init { GLOROT, HE, GAUSSIAN }

    /** Rows per chunk of a full-data pass. */
    static final int CHUNK = 1024;

    private final String family;
    private final int[] sizes;
    private final Activation activation;
    private final Init init;
    private final double initStd;
    private final int batch;
    private final DataType precision;
    private final Inputs train;
    private final Inputs eval;
    private final ParameterLayout layout;
    /** One pass (with its native scratch arrays) per thread: objectives are shared across threads. */
    private final ThreadLocal<Pass> passes;

    MlpClassifier(String family, int[] sizes, Activation activation, Init init, double initStd, int batch,
                  DataType precision, Inputs train, Inputs eval) {
        this.family = family;
        this.sizes = sizes.clone();
        this.activation = activation;
        this.init = init;
        this.initStd = initStd;
        this.batch = batch;
        this.precision = precision;
        this.train = train;
        this.eval = eval;
        List<CoordinateGroup> groups = new ArrayList<>();
        int offset = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            CoordinateGroup w = new CoordinateGroup("W" + (l + 1), offset, List.of(sizes[l], sizes[l + 1]));
            CoordinateGroup b = new CoordinateGroup("b" + (l + 1), w.end(), List.of(sizes[l + 1]));
            groups.add(w);
            groups.add(b);
            offset = b.end();
        }
        this.layout = new ParameterLayout(groups);
        int rows = Math.max(Math.min(batch, CHUNK), Math.min(CHUNK, eval.count()));
        this.passes = ThreadLocal.withInitial(() -> new Pass(this.sizes, activation, precision, rows));
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public INDArray initialPoint(RandomGenerator random) {
        double[] p = new double[layout.dimension()];
        int offset = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double limit = Math.sqrt(6.0 / (in + out));
            double std = Math.sqrt(2.0 / in);
            int count = init == Init.GAUSSIAN ? in * out + out : in * out;
            for (int i = 0; i < count; i++) {
                p[offset + i] = switch (init) {
                    case GLOROT -> limit * (2 * random.nextDouble() - 1);
                    case HE -> std * random.nextGaussian();
                    case GAUSSIAN -> initStd * random.nextGaussian();
                };
            }
            offset += in * out + out;
        }
        return DenseVectors.of(p);
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        return full(x, true);
    }

    @Override
    public double value(INDArray x) {
        return full(x, false).value();
    }

    @Override
    public Evaluation estimate(INDArray x, RandomGenerator random) {
        Pass pass = passes.get();
        double value = minibatch(pass, x, random, false);
        return new Evaluation(value, DenseVectors.of(pass.gradientScratch(false)));
    }

    @Override
    public double estimateInto(INDArray x, RandomGenerator random, INDArray gradient) {
        if (gradient.length() != layout.dimension()) {
            throw new IllegalArgumentException("gradient buffer has " + gradient.length() + " values, the objective "
                    + layout.dimension());
        }
        Pass pass = passes.get();
        // one chunk: the weight gradients go from the pass's native arrays to the buffer directly
        boolean direct = batch <= pass.capacity();
        double value = minibatch(pass, x, random, direct);
        if (direct) {
            pass.exportGradient(pass.gradientScratch(false), gradient);
        } else {
            DenseVectors.write(pass.gradientScratch(false), gradient);
        }
        return value;
    }

    private int[] draw(RandomGenerator random) {
        int[] index = new int[batch];
        for (int i = 0; i < batch; i++) {
            index[i] = random.nextInt(train.count());
        }
        return index;
    }

    /**
     * Mean loss over a minibatch drawn from {@code random}; its gradient is left in the pass's
     * scratch array, except, with {@code weightsStayNative} (one chunk only), the weight entries,
     * which {@link Pass#exportGradient} then writes.
     */
    private double minibatch(Pass pass, INDArray x, RandomGenerator random, boolean weightsStayNative) {
        int[] index = draw(random);
        double[] gradient = pass.gradientScratch(true);
        pass.load(x);
        double loss = 0;
        for (int start = 0; start < batch; start += pass.capacity()) {
            int end = Math.min(batch, start + pass.capacity());
            loss += pass.run(train, index, start, end, gradient, 1.0 / batch, weightsStayNative);
        }
        return loss / batch;
    }

    /** Mean loss (and gradient) over the evaluation set, in chunks of at most {@link #CHUNK} rows. */
    private Evaluation full(INDArray x, boolean withGradient) {
        int n = eval.count();
        double[] gradient = withGradient ? new double[layout.dimension()] : null;
        Pass pass = passes.get();
        pass.load(x);
        double loss = 0;
        for (int start = 0; start < n; start += pass.capacity()) {
            loss += pass.run(eval, null, start, Math.min(n, start + pass.capacity()), gradient, 1.0 / n);
        }
        return new Evaluation(loss / n, withGradient ? DenseVectors.of(gradient) : Nd4j.empty(DataType.DOUBLE));
    }
}
