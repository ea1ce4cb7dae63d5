package org.l2o.objectives.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A multilayer perceptron with softmax cross-entropy (mean over samples). Parameters are, per
 * layer, a weight matrix {@code W_l} of shape [in, out] stored column-major and a bias {@code b_l};
 * each is one coordinate group. The optimizer observes minibatch estimates; the true objective is
 * the loss on the evaluation set (all training samples, or a fixed subset).
 */
final class MlpClassifier implements Objective {

    /** Hidden-layer nonlinearity. */
    enum Activation { RELU, SIGMOID, TANH, SOFTPLUS }

    /** Weight initialisation: Glorot (Xavier) uniform, or He normal. Biases start at zero. */
    enum Init { GLOROT, HE }

    private static final int CHUNK = 8192;

    private static final String WORKSPACE_ID = "l2o-mlp-classifier";
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();

    private final String family;
    private final int[] sizes;
    private final Activation activation;
    private final Init init;
    private final int batch;
    private final Inputs train;
    private final Inputs eval;
    private final ParameterLayout layout;

    MlpClassifier(String family, int[] sizes, Activation activation, Init init, int batch, Inputs train, Inputs eval) {
        this.family = family;
        this.sizes = sizes.clone();
        this.activation = activation;
        this.init = init;
        this.batch = batch;
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
            for (int i = 0; i < in * out; i++) {
                p[offset + i] = init == Init.GLOROT ? limit * (2 * random.nextDouble() - 1) : std * random.nextGaussian();
            }
            offset += in * out + out;
        }
        return Nd4j.createFromArray(p);
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        return pass(x, eval, null, true);
    }

    @Override
    public double value(INDArray x) {
        return pass(x, eval, null, false).value();
    }

    @Override
    public Evaluation estimate(INDArray x, RandomGenerator random) {
        int[] index = new int[batch];
        for (int i = 0; i < batch; i++) {
            index[i] = random.nextInt(train.count());
        }
        return pass(x, train, index, true);
    }

    /**
     * Mean loss (and gradient) over the rows {@code rows} of {@code data} (all rows when null), in
     * chunks to bound memory. Temporaries live in a reused workspace: ND4J frees off-heap memory
     * only when the Java heap is collected, so allocating them afresh on every call lets native
     * memory grow far beyond the heap between collections.
     */
    private Evaluation pass(INDArray params, Inputs data, int[] rows, boolean gradient) {
        int n = rows == null ? data.count() : rows.length;
        List<INDArray> weights = new ArrayList<>();
        List<INDArray> biases = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            CoordinateGroup w = layout.groups().get(2 * l);
            CoordinateGroup b = layout.groups().get(2 * l + 1);
            weights.add(params.get(NDArrayIndex.interval(w.offset(), w.end())).reshape('f', sizes[l], sizes[l + 1]));
            biases.add(params.get(NDArrayIndex.interval(b.offset(), b.end())));
        }
        List<INDArray> grads = new ArrayList<>();
        if (gradient) {
            for (int l = 0; l + 1 < sizes.length; l++) {
                grads.add(Nd4j.create(DataType.DOUBLE, new long[] {sizes[l], sizes[l + 1]}, 'f'));
                grads.add(Nd4j.create(DataType.DOUBLE, sizes[l + 1]));
            }
        }
        double loss = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int end = Math.min(n, start + CHUNK);
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
                INDArray xs;
                INDArray ys;
                if (rows != null) {
                    int[] part = start == 0 && end == n ? rows : java.util.Arrays.copyOfRange(rows, start, end);
                    xs = data.x().getRows(part);
                    ys = data.targets().getRows(part);
                } else if (n <= CHUNK) {
                    xs = data.x();
                    ys = data.targets();
                } else {
                    xs = data.x().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
                    ys = data.targets().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
                }
                loss += chunk(xs, ys, weights, biases, gradient ? grads : null, 1.0 / n);
            }
        }
        INDArray g = gradient ? Nd4j.toFlattened('f', grads.toArray(INDArray[]::new)).reshape(layout.dimension())
                : Nd4j.empty(DataType.DOUBLE);
        return new Evaluation(loss / n, g);
    }

    /** Summed loss of one chunk; adds {@code scale} times its gradient into {@code grads} when given. */
    private double chunk(INDArray x, INDArray y, List<INDArray> weights, List<INDArray> biases, List<INDArray> grads,
                         double scale) {
        int layers = weights.size();
        List<INDArray> inputs = new ArrayList<>(layers);
        INDArray a = x;
        INDArray z = null;
        for (int l = 0; l < layers; l++) {
            inputs.add(a);
            z = Nd4j.gemm(a, weights.get(l), false, false).addiRowVector(biases.get(l));
            if (l + 1 < layers) {
                a = activate(z);
            }
        }
        // log-softmax cross-entropy, shifted by the row maximum for stability
        INDArray max = z.max(1);
        INDArray shifted = z.subColumnVector(max);
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(1);
        double loss = Transforms.log(sum, true).sumNumber().doubleValue() - shifted.mul(y).sumNumber().doubleValue();
        if (grads == null) {
            return loss;
        }
        INDArray delta = exp.diviColumnVector(sum).subi(y).muli(scale);
        for (int l = layers - 1; l >= 0; l--) {
            grads.get(2 * l).addi(Nd4j.gemm(inputs.get(l), delta, true, false));
            grads.get(2 * l + 1).addi(delta.sum(0));
            if (l > 0) {
                INDArray back = Nd4j.gemm(delta, weights.get(l), false, true);
                delta = back.muli(derivative(inputs.get(l)));
            }
        }
        return loss;
    }

    private INDArray activate(INDArray z) {
        return switch (activation) {
            case RELU -> Transforms.relu(z, false);
            case SIGMOID -> Transforms.sigmoid(z, false);
            case TANH -> Transforms.tanh(z, false);
            case SOFTPLUS -> Transforms.softPlus(z, false);
        };
    }

    /** Derivative of the activation, expressed through its output {@code a}. */
    private INDArray derivative(INDArray a) {
        return switch (activation) {
            case RELU -> a.gt(0).castTo(DataType.DOUBLE);
            case SIGMOID -> a.mul(a.rsub(1.0));
            case TANH -> a.mul(a).rsubi(1.0);
            // softplus' = sigmoid(z) = 1 - exp(-a) for a = softplus(z)
            case SOFTPLUS -> Transforms.exp(a.neg(), false).rsubi(1.0);
        };
    }
}
