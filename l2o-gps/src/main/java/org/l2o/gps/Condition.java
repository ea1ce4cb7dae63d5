package org.l2o.gps;

import org.l2o.api.objective.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One GPS condition: a training objective and its fixed starting point. */
record Condition(int index, Objective objective, INDArray start) {
}
