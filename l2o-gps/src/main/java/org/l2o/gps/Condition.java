package org.l2o.gps;

import org.l2o.api.objective.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One GPS condition: a training objective and its fixed starting point. */
record Condition(int index, Objective objective, INDArray start) {

    /**
     * Training objectives {@code from .. from + count - 1} of the request's family with their
     * seeded starting points, indexed from 0.
     */
    static java.util.List<Condition> of(org.l2o.api.meta.MetaTrainingRequest request, int from, int count) {
        java.util.List<Condition> out = new java.util.ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Objective f = request.family().train(request.seed(), i);
            out.add(new Condition(i - from, f, f.initialPoint(org.l2o.api.Seeds.generator(request.seed(), "gps-start", i))));
        }
        return out;
    }

    /**
     * The request's {@code count} validation objectives ({@code MetaTrainingRequest#validationObjective})
     * with seeded starting points; their seeds continue the training conditions' stream.
     */
    static java.util.List<Condition> validation(org.l2o.api.meta.MetaTrainingRequest request, int count) {
        java.util.List<Condition> out = new java.util.ArrayList<>();
        int m = request.trainObjectives();
        for (int i = 0; i < count; i++) {
            Objective f = request.validationObjective(i);
            out.add(new Condition(i, f, f.initialPoint(org.l2o.api.Seeds.generator(request.seed(), "gps-start", m + i))));
        }
        return out;
    }
}
