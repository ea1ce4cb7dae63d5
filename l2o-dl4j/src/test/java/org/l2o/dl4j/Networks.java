package org.l2o.dl4j;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small seeded DL4J networks and data for the updater tests, in double precision. */
final class Networks {

    static final int INPUTS = 12;
    static final int HIDDEN = 16;
    static final int CLASSES = 3;

    private Networks() {
    }

    static MultiLayerConfiguration mlpConfiguration(IUpdater updater) {
        return mlpConfiguration(updater, updater);
    }

    /** A 12-16-3 tanh classifier whose two layers may have different updaters. */
    static MultiLayerConfiguration mlpConfiguration(IUpdater hidden, IUpdater output) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.TANH).updater(hidden)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).updater(output).build())
                .build();
    }

    static MultiLayerNetwork mlp(IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(mlpConfiguration(updater));
        net.init();
        return net;
    }

    static ComputationGraphConfiguration graphConfiguration(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .updater(updater)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(INPUTS).nOut(HIDDEN).activation(Activation.TANH)
                        .build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
    }

    static ComputationGraph graph(IUpdater updater) {
        ComputationGraph g = new ComputationGraph(graphConfiguration(updater));
        g.init();
        return g;
    }

    /** {@code count} examples labelled by a random linear teacher, from {@code seed}. */
    static DataSet data(int count, long seed) {
        Random random = new Random(seed);
        double[][] teacher = new double[INPUTS][CLASSES];
        for (double[] row : teacher) {
            for (int c = 0; c < CLASSES; c++) {
                row[c] = random.nextGaussian();
            }
        }
        double[][] x = new double[count][INPUTS];
        double[][] y = new double[count][CLASSES];
        for (int i = 0; i < count; i++) {
            double[] score = new double[CLASSES];
            for (int j = 0; j < INPUTS; j++) {
                x[i][j] = random.nextGaussian();
                for (int c = 0; c < CLASSES; c++) {
                    score[c] += x[i][j] * teacher[j][c];
                }
            }
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (score[c] > score[best]) {
                    best = c;
                }
            }
            y[i][best] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }
}
