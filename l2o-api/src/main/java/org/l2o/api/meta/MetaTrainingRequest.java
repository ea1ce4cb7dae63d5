package org.l2o.api.meta;

import java.util.Map;
import java.util.Objects;
import org.l2o.api.objective.ObjectiveFamily;

/**
 * What to meta-train on: the objective family (with the id and parameters it was created from,
 * for provenance), how many training objectives, the horizon and the root seed.
 */
public record MetaTrainingRequest(ObjectiveFamily family, Map<String, String> objectiveParameters,
                                  int trainObjectives, int steps, long seed) {
    public MetaTrainingRequest {
        Objects.requireNonNull(family, "family");
        objectiveParameters = Map.copyOf(objectiveParameters);
        if (trainObjectives <= 0 || steps <= 0) {
            throw new IllegalArgumentException("trainObjectives and steps must be positive");
        }
    }
}
