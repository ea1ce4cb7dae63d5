package org.l2o.dl4j;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Runs a DL4J network's 2D convolutions as libnd4j's {@code conv2d} ops instead of DL4J's Java-side
 * im2col into a permuted array, which is what dominates a convolutional step in DL4J 1.0.0-M2.1.
 *
 * <p>DL4J routes a convolution through a layer helper that calls libnd4j's fused op, but 1.0.0-M2.1
 * ships with helper creation disabled ({@code org.eclipse.deeplearning4j.helpers.disable} defaults
 * to true) and, when enabled, its oneDNN check looks up {@code org.nd4j.nativeblas.Nd4jCpu}, a class
 * that moved to another package in that release, so the check fails and no helper is ever used.
 * {@link #install} sets DL4J's own helper on every plain 2D convolution layer directly. With
 * nd4j-native's {@code linux-x86_64-onednn} natives (the l2o distribution's) the op runs on oneDNN
 * forwards and backwards; with the default natives only the forward pass gains. The helper handles
 * float networks and hands anything else back to DL4J's own path, so a double network is unchanged.
 */
public final class NativeConvolutions {

    private static final Field HELPER = helperField();

    private NativeConvolutions() {
    }

    /**
     * Gives every float {@code ConvolutionLayer} of {@code network} (not its subclasses, such as
     * deconvolutions, whose computations differ) that has no helper yet DL4J's native convolution
     * helper. Call it after {@code init()}; layers built later (another {@code init()}) need it again.
     *
     * @return the number of layers that now use the native op
     */
    public static int install(Model network) {
        Layer[] layers;
        if (network instanceof MultiLayerNetwork m) {
            layers = m.getLayers();
        } else if (network instanceof ComputationGraph g) {
            layers = g.getLayers();
        } else {
            throw new IllegalArgumentException("NativeConvolutions: expected a MultiLayerNetwork or ComputationGraph, "
                    + "got " + (network == null ? "null" : network.getClass().getName()));
        }
        if (layers == null) {
            throw new IllegalStateException("NativeConvolutions: call init() on the network first");
        }
        int installed = 0;
        for (Layer layer : layers) {
            if (layer.getClass() != ConvolutionLayer.class || layer.getParam("W").dataType() != DataType.FLOAT) {
                continue;
            }
            try {
                if (HELPER.get(layer) == null) {
                    HELPER.set(layer, new MKLDNNConvHelper(DataType.FLOAT));
                }
                installed++;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("NativeConvolutions: cannot set the helper of " + layer, e);
            }
        }
        return installed;
    }

    /** Whether {@code layer} computes through a native helper (DL4J's, or one {@link #install} set). */
    static boolean hasHelper(Layer layer) {
        try {
            return layer instanceof ConvolutionLayer && HELPER.get(layer) != null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field helperField() {
        try {
            // DL4J lives on the class path (the unnamed module), which opens every package.
            Field f = ConvolutionLayer.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this DL4J release has no ConvolutionLayer.helper field: " + e);
        }
    }
}
