package org.l2o.gps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.l2o.api.Seeds;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.objective.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One GPS condition: a training objective and its fixed starting point. */
record Condition(int index, Objective objective, INDArray start) {

    /** The request's training objectives with their seeded starting points, indexed from 0. */
    static List<Condition> training(MetaTrainingRequest request) {
        return conditions(request, request.trainObjectives(), 0,
                i -> request.family().train(request.seed(), i));
    }

    /**
     * The request's {@code count} validation objectives ({@link MetaTrainingRequest#validationObjective})
     * with seeded starting points; their seeds continue the training conditions' stream.
     */
    static List<Condition> validation(MetaTrainingRequest request, int count) {
        return conditions(request, count, request.trainObjectives(), request::validationObjective);
    }

    /** Objectives {@code 0 .. count - 1}, each started at the point of seed stream index {@code first + i}. */
    private static List<Condition> conditions(MetaTrainingRequest request, int count, int first,
                                              IntFunction<Objective> objective) {
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Objective f = objective.apply(i);
            out.add(new Condition(i, f, f.initialPoint(Seeds.generator(request.seed(), "gps-start", first + i))));
        }
        return out;
    }
}
