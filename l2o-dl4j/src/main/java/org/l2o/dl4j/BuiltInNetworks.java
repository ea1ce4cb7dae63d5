package org.l2o.dl4j;

import java.util.Objects;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J network configurations l2o names: {@code lenet} and {@code mlp}. */
public final class BuiltInNetworks {

    private BuiltInNetworks() {
    }

    /**
     * LeNet as DL4J's examples build it (LeCun et al. 1998, with ReLU and max pooling): two 5x5
     * convolutions of 20 and 50 channels, each followed by 2x2 max pooling, a dense layer of 500
     * ReLU units and a softmax output, for {@code channels x height x width} images.
     */
    public static MultiLayerConfiguration lenet(int channels, int height, int width, int classes, IUpdater updater,
                                                long seed, DataType precision) {
        Objects.requireNonNull(updater, "updater");
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(precision).weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(channels).nOut(20).stride(1, 1)
                        .activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).stride(1, 1).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
    }

    /** A fully connected classifier with sigmoid hidden layers of the given widths, as l2o's {@code mlp-classifier}. */
    public static MultiLayerConfiguration mlp(int inputs, int[] hidden, int classes, IUpdater updater, long seed,
                                              DataType precision) {
        Objects.requireNonNull(updater, "updater");
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(precision).weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list();
        int in = inputs;
        for (int width : hidden) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.SIGMOID).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        return list.build();
    }
}
