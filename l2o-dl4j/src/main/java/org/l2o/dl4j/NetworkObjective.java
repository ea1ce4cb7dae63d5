package org.l2o.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.l2o.api.DenseVectors;
import org.l2o.api.NativeMemory;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.kernels.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training loss of a DL4J network on an image dataset as a function of the network's flat
 * parameter vector (DL4J's own order): minibatch estimates for the optimizer, the mean loss over
 * the evaluation set as the true objective. Each thread computes on its own copy of the network,
 * so runs in parallel share one objective. Coordinate groups are the network's parameter tensors.
 * Every pass runs in a {@link NativeMemory} section: Deeplearning4j's layers make the ND4J calls
 * that a collection during the call can crash.
 */
final class NetworkObjective implements Objective {

    /** Examples per forward and backward pass when the true objective covers the evaluation set. */
    private static final int CHUNK = 500;

    private final String family;
    private final Dl4jNetworkProvider.Network spec;
    private final LabeledImages train;
    private final int[] evaluation;
    private final int batch;
    private final ParameterLayout layout;
    private final ThreadLocal<Model> networks;

    /** {@code first}: {@code spec} built with seed 0, this thread's copy (other threads build their own). */
    NetworkObjective(String family, Dl4jNetworkProvider.Network spec, Model first, LabeledImages train,
                     int[] evaluation, int batch) {
        this.family = family;
        this.spec = spec;
        this.train = train;
        this.evaluation = evaluation.clone();
        this.batch = batch;
        this.networks = ThreadLocal.withInitial(() -> spec.build(0));
        this.networks.set(first);
        this.layout = layoutOf(first);
    }

    /** One group per entry of the parameter table, in the order of the flat parameter vector. */
    static ParameterLayout layoutOf(Model network) {
        List<CoordinateGroup> groups = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
            long size = e.getValue().length();
            if (size == 0) {
                continue;
            }
            CoordinateGroup g = new CoordinateGroup(e.getKey(), offset, shape(e.getValue().shape()));
            groups.add(g);
            offset = g.end();
        }
        if (offset != network.numParams()) {
            throw new IllegalStateException("the parameter table covers " + offset + " of the network's "
                    + network.numParams() + " parameters");
        }
        return new ParameterLayout(groups);
    }

    /** An ND4J shape as a coordinate group's shape. */
    static List<Integer> shape(long[] dims) {
        List<Integer> shape = new ArrayList<>(dims.length);
        for (long d : dims) {
            shape.add(Math.toIntExact(d));
        }
        return shape;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    /** DL4J's own initialisation of the network, seeded from {@code random}. */
    @Override
    public INDArray initialPoint(RandomGenerator random) {
        try (NativeMemory.Section section = NativeMemory.enter()) {
            Model fresh = spec.build(random.nextLong());
            return fresh.params().castTo(DataType.DOUBLE).reshape(fresh.numParams()).dup();
        }
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public Evaluation evaluate(INDArray x) {
        try (NativeMemory.Section section = NativeMemory.enter()) {
            return evaluateInSection(x);
        }
    }

    private Evaluation evaluateInSection(INDArray x) {
        Model net = at(x);
        int n = evaluation.length;
        double value = 0;
        double[] gradient = new double[layout.dimension()];
        for (int start = 0; start < n; start += CHUNK) {
            int end = Math.min(n, start + CHUNK);
            int[] rows = java.util.Arrays.copyOfRange(evaluation, start, end);
            double weight = (double) rows.length / n;
            value += weight * pass(net, rows, gradient, weight);
        }
        return new Evaluation(value, DenseVectors.of(gradient));
    }

    /** The true objective without its gradient: forward passes only. */
    @Override
    public double value(INDArray x) {
        try (NativeMemory.Section section = NativeMemory.enter()) {
            return valueInSection(x);
        }
    }

    private double valueInSection(INDArray x) {
        Model net = at(x);
        int n = evaluation.length;
        double value = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int[] rows = java.util.Arrays.copyOfRange(evaluation, start, Math.min(n, start + CHUNK));
            DataSet batch = batch(net, rows);
            double score = net instanceof MultiLayerNetwork m ? m.score(batch, false)
                    : ((ComputationGraph) net).score(batch, false);
            value += score * rows.length / n;
        }
        return value;
    }

    @Override
    public Evaluation estimate(INDArray x, RandomGenerator random) {
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
            rows[i] = random.nextInt(train.count());
        }
        double[] gradient = new double[layout.dimension()];
        try (NativeMemory.Section section = NativeMemory.enter()) {
            double value = pass(at(x), rows, gradient, 1);
            return new Evaluation(value, DenseVectors.of(gradient));
        }
    }

    /** This thread's network with its parameters set to {@code x}. */
    private Model at(INDArray x) {
        if (x.length() != layout.dimension()) {
            throw new IllegalArgumentException("x has " + x.length() + " values, the network " + layout.dimension()
                    + " parameters");
        }
        Model net = networks.get();
        net.params().assign(x.castTo(net.params().dataType()).reshape(net.params().shape()));
        return net;
    }

    /** Mean loss over {@code rows}; adds {@code weight} times its gradient into {@code gradient}. */
    private double pass(Model net, int[] rows, double[] gradient, double weight) {
        DataSet batch = batch(net, rows);
        INDArray features = batch.getFeatures();
        INDArray labels = batch.getLabels();
        double score;
        INDArray g;
        if (net instanceof MultiLayerNetwork m) {
            m.setInput(features);
            m.setLabels(labels);
            m.computeGradientAndScore();
            score = m.score();
            g = m.gradient().gradient();
        } else {
            ComputationGraph c = (ComputationGraph) net;
            c.setInputs(features);
            c.setLabels(labels);
            c.computeGradientAndScore();
            score = c.score();
            g = c.gradient().gradient();
        }
        double[] d = g.castTo(DataType.DOUBLE).reshape(g.length()).toDoubleVector();
        // DL4J averages the loss over the minibatch but sums its gradient (its updater divides)
        double scale = weight / (miniBatch(net) ? rows.length : 1);
        for (int i = 0; i < d.length; i++) {
            gradient[i] += scale * d[i];
        }
        return score;
    }

    private DataSet batch(Model net, int[] rows) {
        return Images.rows(train, rows, net.params().dataType());
    }

    private static boolean miniBatch(Model net) {
        return net instanceof MultiLayerNetwork m ? m.getLayerWiseConfigurations().getConf(0).isMiniBatch()
                : ((ComputationGraph) net).getConfiguration().getDefaultConfiguration().isMiniBatch();
    }
}
