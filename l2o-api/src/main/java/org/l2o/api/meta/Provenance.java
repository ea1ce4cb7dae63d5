package org.l2o.api.meta;

import java.time.Instant;
import java.util.Map;

/**
 * Where a learned optimizer came from, enough to retrain it: trainer and its parameters, the
 * training objective family with its parameters and seed, and the software that produced it.
 */
public record Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                         Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                         String l2oVersion, String javaVersion, Instant created) {
    public Provenance {
        trainerParameters = Map.copyOf(trainerParameters);
        objectiveParameters = Map.copyOf(objectiveParameters);
    }

    /**
     * Provenance of something a trainer makes now for {@code request}, with the version of the module
     * (or jar) that holds {@code origin} and of the running JVM.
     */
    public static Provenance now(String trainer, Map<String, String> trainerParameters, MetaTrainingRequest request,
                                 Class<?> origin) {
        return new Provenance(trainer, trainerParameters, request.family().id(), request.objectiveParameters(),
                request.trainObjectives(), request.steps(), request.seed(), org.l2o.api.Versions.of(origin),
                Runtime.version().toString(), Instant.now());
    }
}
