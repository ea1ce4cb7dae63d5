package org.l2o.api.meta;

import java.util.List;
import java.util.Map;

/** The learned optimizer and the per-iteration metrics that led to it. */
public record MetaTrainingResult(LearnedOptimizer optimizer, List<Map<String, Double>> history) {
    public MetaTrainingResult {
        history = List.copyOf(history);
    }
}
