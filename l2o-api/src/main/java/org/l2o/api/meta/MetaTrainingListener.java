package org.l2o.api.meta;

import java.util.Map;

/** Receives progress from a meta-trainer; called on the trainer's thread. */
public interface MetaTrainingListener {

    /** Metrics of one finished iteration, e.g. mean sample cost, KL, step multiplier. */
    default void iteration(int iteration, int iterations, Map<String, Double> metrics) {
    }

    /** A free-form progress message. */
    default void message(String text) {
    }

    /** A listener that ignores everything. */
    MetaTrainingListener NONE = new MetaTrainingListener() { };
}
