package org.l2o.dl4j;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binds each l2o updater block of a network before its update. DL4J's solver calls
 * {@code onGradientCalculation} after the forward and backward pass and before the updater, in the
 * same iteration: the model's score is then this minibatch's loss, the value a learned optimizer
 * reads, and the updater's blocks say which parameter tensors each block holds.
 */
final class StepBinder extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;

    @Override
    public void onGradientCalculation(Model model) {
        Updater updater;
        if (model instanceof MultiLayerNetwork n) {
            updater = n.getUpdater();
        } else if (model instanceof ComputationGraph g) {
            updater = g.getUpdater();
        } else {
            return;
        }
        if (!(updater instanceof BaseMultiLayerUpdater<?> blocks)) {
            return;
        }
        double value = model.score();
        INDArray parameters = model.params();
        for (UpdaterBlock block : blocks.getUpdaterBlocks()) {
            if (block.getGradientUpdater() instanceof L2oGradientUpdater u) {
                u.bind(block, parameters, value);
            }
        }
    }
}
