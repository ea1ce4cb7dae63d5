package org.l2o.api.meta;

import java.util.List;
import java.util.Map;

/**
 * The learned optimizer and the per-iteration metrics that led to it.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it refers to.
 */
public record MetaTrainingResult(LearnedOptimizer optimizer, List<Map<String, Double>> history) {
    public MetaTrainingResult {
        history = List.copyOf(history);
    }
}
