package org.l2o.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.l2o.dl4j.BuiltInNetworks;
import org.l2o.dl4j.L2oUpdater;
import org.l2o.dl4j.NativeConvolutions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@code fit} iteration of a DL4J network on MNIST-shaped input (1x28x28, 10 classes, single
 * precision, DL4J's default) with DL4J's own Adam or with an l2o optimizer through
 * {@link L2oUpdater}: case {@code NET/BATCH/UPDATER}, NET {@code lenet} (431,080 parameters) or
 * {@code mlp500} (784-500-10, 397,510 parameters; at batch 2 the update dominates the step),
 * UPDATER one of {@code adam} (DL4J's), {@code l2o-adam} and {@code mnist-v1} (the shipped learned
 * optimizer). LeNet's convolutions run as libnd4j ops ({@link NativeConvolutions}), as l2o runs
 * them; {@code lenet-im2col} is DL4J's own path for comparison. The images are random: the cost of
 * a step does not depend on the pixels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Dl4jFitStep {

    @Param({"lenet-im2col/64/adam", "lenet/64/adam", "lenet/64/l2o-adam", "lenet/64/mnist-v1", "mlp500/2/adam",
        "mlp500/2/l2o-adam", "mlp500/2/mnist-v1"})
    public String benchCase;

    private MultiLayerNetwork net;
    private DataSet batch;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = benchCase.split("/");
        int size = Integer.parseInt(parts[1]);
        IUpdater updater = switch (parts[2]) {
            case "adam" -> new Adam(1e-3);
            case "l2o-adam" -> new L2oUpdater("adam:lr=0.001");
            case "mnist-v1" -> new L2oUpdater("learned:mnist-v1");
            default -> throw new IllegalArgumentException("unknown updater in case " + benchCase);
        };
        net = new MultiLayerNetwork(switch (parts[0]) {
            case "lenet", "lenet-im2col" -> BuiltInNetworks.lenet(1, 28, 28, 10, updater, 1, DataType.FLOAT);
            case "mlp500" -> BuiltInNetworks.mlp(28 * 28, new int[] {500}, 10, updater, 1, DataType.FLOAT);
            default -> throw new IllegalArgumentException("unknown network in case " + benchCase);
        });
        net.init();
        if (!parts[0].equals("lenet-im2col")) {
            NativeConvolutions.install(net);
        }
        L2oUpdater.attach(net);
        SplittableRandom random = new SplittableRandom(2);
        float[][] x = new float[size][28 * 28];
        float[][] y = new float[size][10];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) random.nextDouble();
            }
            y[i][random.nextInt(10)] = 1;
        }
        batch = new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    @Benchmark
    public double fit() {
        net.fit(batch);
        return net.score();
    }
}
