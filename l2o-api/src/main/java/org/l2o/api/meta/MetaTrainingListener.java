package org.l2o.api.meta;

import java.util.Map;

/** Receives progress from a meta-trainer; called on the trainer's thread. */
public interface MetaTrainingListener {

    /** Metrics of one finished iteration, e.g. mean sample cost, KL, step multiplier. */
    default void iteration(int iteration, int iterations, Map<String, Double> metrics) {
    }

    /**
     * The state after a finished iteration, from which {@link MetaTrainingRequest#resume()} continues,
     * and the learned optimizer as it stands.
     */
    default void checkpoint(int iteration, byte[] state, LearnedOptimizer current) {
    }

    /**
     * One step of one sample trajectory drawn during meta-training: the iteration, the condition
     * (training objective), the sample, the step, the true objective after the action, the policy
     * features and the action.
     */
    default void sample(int iteration, int condition, int sample, int step, double cost, double[] features,
                        double[] action) {
    }

    /** A free-form progress message. */
    default void message(String text) {
    }

    /** A listener that ignores everything. */
    MetaTrainingListener NONE = new MetaTrainingListener() { };
}
