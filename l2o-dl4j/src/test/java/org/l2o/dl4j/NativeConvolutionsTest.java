package org.l2o.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The native convolution op computes what DL4J's own im2col path computes: the same outputs,
 * loss and gradients to single precision, and the same parameters after training steps.
 */
class NativeConvolutionsTest {

    @Test
    void leNetGivesDl4jsOutputsAndGradients() {
        compare(BuiltInNetworks.lenet(1, 28, 28, 10, new Sgd(0.05), 7, DataType.FLOAT), 1, 28, 28, 10, 2);
    }

    @Test
    void strideSamePaddingAndColourChannelsGiveDl4jsOutputsAndGradients() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).stride(2, 2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(1, 1).padding(1, 1)
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(11, 9, 3))
                .build();
        compare(conf, 3, 11, 9, 5, 2);
    }

    @Test
    void doubleNetworksKeepDl4jsOwnPath() {
        MultiLayerNetwork net = new MultiLayerNetwork(BuiltInNetworks.lenet(1, 28, 28, 10, new Sgd(0.1), 1,
                DataType.DOUBLE));
        net.init();
        assertEquals(0, NativeConvolutions.install(net));
        assertFalse(NativeConvolutions.hasHelper(net.getLayer(0)));
    }

    @Test
    void refusesNetworksItCannotReadWithOneLine() {
        MultiLayerNetwork uninitialised = new MultiLayerNetwork(BuiltInNetworks.lenet(1, 28, 28, 10, new Sgd(0.1), 1,
                DataType.FLOAT));
        assertTrue(assertThrows(IllegalStateException.class, () -> NativeConvolutions.install(uninitialised))
                .getMessage().contains("init()"));
        assertThrows(IllegalArgumentException.class, () -> NativeConvolutions.install(null));
    }

    /** Two copies of {@code conf}, one on native convolutions: equal outputs and gradients, then equal training. */
    private static void compare(MultiLayerConfiguration conf, int channels, int height, int width, int classes,
                                int expectedLayers) {
        MultiLayerNetwork own = new MultiLayerNetwork(conf.clone());
        own.init();
        MultiLayerNetwork nativeOps = new MultiLayerNetwork(conf.clone());
        nativeOps.init();
        assertEquals(own.params(), nativeOps.params(), "same seed, same initial parameters");
        assertEquals(expectedLayers, NativeConvolutions.install(nativeOps));
        assertEquals(expectedLayers, NativeConvolutions.install(nativeOps), "installing twice changes nothing");
        assertFalse(NativeConvolutions.hasHelper(own.getLayer(0)), "DL4J 1.0.0-M2.1 creates no helper itself");
        assertTrue(NativeConvolutions.hasHelper(nativeOps.getLayer(0)));

        SplittableRandom random = new SplittableRandom(11);
        int batch = 8;
        float[][] x = new float[batch][channels * height * width];
        float[][] y = new float[batch][classes];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) random.nextDouble();
            }
            y[i][random.nextInt(classes)] = 1;
        }
        INDArray input = Nd4j.createFromArray(x);
        INDArray labels = Nd4j.createFromArray(y);

        assertClose(own.output(input), nativeOps.output(input), 1e-5, "outputs");
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {own, nativeOps}) {
            n.setInput(input);
            n.setLabels(labels);
            n.computeGradientAndScore();
        }
        assertEquals(own.score(), nativeOps.score(), 1e-5 * Math.abs(own.score()), "loss");
        assertClose(own.gradient().gradient(), nativeOps.gradient().gradient(), 1e-4, "gradients");

        for (int step = 0; step < 5; step++) {
            own.fit(input, labels);
            nativeOps.fit(input, labels);
        }
        assertClose(own.params(), nativeOps.params(), 1e-4, "parameters after 5 steps");
    }

    /** Largest absolute difference at most {@code tolerance} times the largest magnitude of {@code expected}. */
    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertTrue(scale > 0, what + " are all zero: nothing compared");
        assertTrue(difference <= tolerance * scale, what + ": largest difference " + difference + " vs scale "
                + scale);
    }
}
