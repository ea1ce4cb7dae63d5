package org.example.dl4japp;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.l2o.dl4j.L2oUpdater;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A DL4J application that trains an MNIST classifier with l2o's pretrained learned optimizer,
 * saves the model with its optimizer state, restores it and goes on training.
 *
 * <p>Usage: {@code App MNIST_DIR [EXAMPLES] [STEPS] [MODEL.zip]}
 */
public final class App {

    /** The optimizer: the learned optimizer shipped with l2o, meta-trained on MNIST tasks. */
    public static final String OPTIMIZER = "learned:mnist-v1";
    public static final int BATCH = 64;

    private App() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: App MNIST_DIR [EXAMPLES] [STEPS] [MODEL.zip]");
            System.exit(2);
        }
        Path mnist = Path.of(args[0]);
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        File model = new File(args.length > 3 ? args[3] : "model.zip");
        DataSet train = Mnist.read(mnist, true, examples);
        DataSet test = Mnist.read(mnist, false, 1000);

        MultiLayerNetwork net = network();
        report("start", net, train, test);
        train(net, train, 0, steps / 2);
        report("after " + steps / 2 + " steps", net, train, test);

        // the learned optimizer's state travels in the model file with the weights
        ModelSerializer.writeModel(net, model, true);
        MultiLayerNetwork restored = L2oUpdater.attach(ModelSerializer.restoreMultiLayerNetwork(model, true));
        train(restored, train, steps / 2, steps - steps / 2);
        report("restored, after " + steps + " steps", restored, train, test);
    }

    /** A 784-100-10 ReLU classifier whose updater is the learned optimizer, attached and ready to fit. */
    public static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .weightInit(WeightInit.XAVIER)
                .updater(new L2oUpdater(OPTIMIZER))
                .list()
                .layer(new DenseLayer.Builder().nIn(Mnist.PIXELS).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(Mnist.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // gives the learned optimizer each step's loss and the network's tensors
        return L2oUpdater.attach(net);
    }

    /** Steps {@code from .. from + steps - 1} of a fixed cycle over the minibatches of {@code data}. */
    public static void train(MultiLayerNetwork net, DataSet data, int from, int steps) {
        int batches = data.numExamples() / BATCH;
        for (int s = from; s < from + steps; s++) {
            int b = s % batches;
            net.fit(data.getRange(b * BATCH, (b + 1) * BATCH));
        }
    }

    private static void report(String when, MultiLayerNetwork net, DataSet train, DataSet test) {
        Evaluation e = net.evaluate(new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(test));
        System.out.printf(Locale.ROOT, "%-28s training loss %.4f  test accuracy %.3f%n", when, net.score(train),
                e.accuracy());
    }
}
