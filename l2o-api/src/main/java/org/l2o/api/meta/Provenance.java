package org.l2o.api.meta;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a learned optimizer came from, enough to retrain it and to explain its results: trainer and
 * its parameters, the training objective family with its parameters and seed, the software that
 * produced it, and the environment: the numerical set-up ({@link Environment}: OS, architecture,
 * ND4J backend, precision, SIMD, BLAS core type) and the identity of the training data (file names
 * and content hash, under {@code data.}; where candidates were scored on a family of their own,
 * that family as {@code validation.objective} and its data under {@code validation.data.}).
 * {@code history} lists, in order, what changed when the training was resumed with other values
 * of the trainer's adjustable parameters (empty for one uninterrupted command), so parameters that
 * held only for part of the training are not passed off as the whole story. {@code budget} is what
 * the training spent ({@link MetaTrainingLoop} fills it: {@code inner_steps}, the inner optimizer
 * steps its trainer reported on training and validation objectives; {@code seconds}, wall time;
 * {@code iterations}), so meta-training algorithms can be compared at equal cost. Files written before the environment
 * or the budget was recorded read back with an empty one.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                         Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                         String l2oVersion, String javaVersion, Instant created, List<String> history,
                         Map<String, String> environment, Map<String, String> budget) {
    public Provenance {
        trainerParameters = Map.copyOf(trainerParameters);
        objectiveParameters = Map.copyOf(objectiveParameters);
        history = List.copyOf(history);
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
        budget = java.util.Collections.unmodifiableMap(new TreeMap<>(budget));
    }

    /** Provenance with no recorded budget. */
    public Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                      Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                      String l2oVersion, String javaVersion, Instant created, List<String> history,
                      Map<String, String> environment) {
        this(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed, l2oVersion,
                javaVersion, created, history, environment, Map.of());
    }

    /** Provenance with no recorded environment. */
    public Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                      Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                      String l2oVersion, String javaVersion, Instant created, List<String> history) {
        this(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed, l2oVersion,
                javaVersion, created, history, Map.of());
    }

    /** Provenance of an uninterrupted training (no history) with no recorded environment. */
    public Provenance(String trainer, Map<String, String> trainerParameters, String objective,
                      Map<String, String> objectiveParameters, int trainObjectives, int steps, long seed,
                      String l2oVersion, String javaVersion, Instant created) {
        this(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed, l2oVersion,
                javaVersion, created, List.of());
    }

    /** This provenance with {@code history} in place of its own. */
    public Provenance withHistory(List<String> history) {
        return new Provenance(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed,
                l2oVersion, javaVersion, created, history, environment, budget);
    }

    /** This provenance with {@code budget} in place of its own. */
    public Provenance withBudget(Map<String, String> budget) {
        return new Provenance(trainer, trainerParameters, objective, objectiveParameters, trainObjectives, steps, seed,
                l2oVersion, javaVersion, created, history, environment, budget);
    }

    /**
     * Provenance of something a trainer makes now for {@code request}, with the version of the module
     * (or jar) that holds {@code origin}, the running JVM, the {@link Environment} and the identity of
     * the request's training data.
     */
    public static Provenance now(String trainer, Map<String, String> trainerParameters, MetaTrainingRequest request,
                                 Class<?> origin) {
        Map<String, String> environment = new TreeMap<>(Environment.current());
        request.family().dataIdentity().forEach((k, v) -> environment.put("data." + k, v));
        request.validation().ifPresent(v -> {
            environment.put("validation.objective", v.objective() + " " + new TreeMap<>(v.objectiveParameters()));
            v.family().dataIdentity().forEach((k, x) -> environment.put("validation.data." + k, x));
        });
        return new Provenance(trainer, trainerParameters, request.family().id(), request.objectiveParameters(),
                request.trainObjectives(), request.steps(), request.seed(), org.l2o.api.Versions.of(origin),
                Runtime.version().toString(), Instant.now(), List.of(), environment);
    }
}
