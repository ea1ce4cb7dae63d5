package org.l2o.api.meta;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where a learned optimizer came from, enough to retrain it: trainer and its parameters, the
 * training objective family with its parameters and seed, and the software that produced it.
 * {@code history} lists, in order, what changed when the training was resumed with other values
 * of the trainer's adjustable parameters (empty for one uninterrupted command), so parameters that
 * held only for part of the training are not passed off as the whole story.
 */
public record Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                         Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                         String l2oVersion, String javaVersion, Instant created, List<String> history) {
    public Provenance {
        trainerParameters = Map.copyOf(trainerParameters);
        objectiveParameters = Map.copyOf(objectiveParameters);
        history = List.copyOf(history);
    }

    /** Provenance of an uninterrupted training (no history). */
    public Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                      Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                      String l2oVersion, String javaVersion, Instant created) {
        this(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed, l2oVersion,
                javaVersion, created, List.of());
    }

    /** This provenance with {@code history} in place of its own. */
    public Provenance withHistory(List<String> history) {
        return new Provenance(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed,
                l2oVersion, javaVersion, created, history);
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
