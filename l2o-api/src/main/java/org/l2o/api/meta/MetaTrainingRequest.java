package org.l2o.api.meta;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.PolicyClassProvider;

/**
 * What to meta-train on and with: the objective family (with the id and parameters it was created
 * from, for provenance), how many training objectives, the horizon, the root seed, the policy
 * class and feature map to learn (resolved by the runtime, since plugins never look each other
 * up), optionally the state of an interrupted run to resume, and optionally a family of its own
 * for the held-out objectives that score candidates ({@link #validationObjective}).
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record MetaTrainingRequest(ObjectiveFamily family, String objective, Map<String, String> objectiveParameters,
                                  int trainObjectives, int steps, long seed, PolicyClass policy, Features features,
                                  Optional<byte[]> resume, Optional<Validation> validation) {

    /**
     * A family that scores candidates in place of the training family's held-out objectives, with
     * the id and parameters it was created from: for example the training architecture itself,
     * where the training family is a distribution of tasks around it.
     */
    public record Validation(ObjectiveFamily family, String objective, Map<String, String> objectiveParameters) {
        public Validation {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(objective, "objective");
            objectiveParameters = Map.copyOf(objectiveParameters);
        }
    }

    /** A request whose candidates are scored on the training family's own held-out objectives. */
    public MetaTrainingRequest(ObjectiveFamily family, String objective, Map<String, String> objectiveParameters,
                               int trainObjectives, int steps, long seed, PolicyClass policy, Features features,
                               Optional<byte[]> resume) {
        this(family, objective, objectiveParameters, trainObjectives, steps, seed, policy, features, resume,
                Optional.empty());
    }

    /**
     * Held-out objective {@code index} (from 0) for validation: the training stream of the
     * {@link Validation} family where the request has one, otherwise the training family's stream
     * after its {@code trainObjectives} training objectives. Never a test objective.
     */
    public Objective validationObjective(int index) {
        return validation.map(v -> v.family().train(seed, index))
                .orElseGet(() -> family.train(seed, trainObjectives + index));
    }

    /** A policy class and its validated configuration. */
    public record PolicyClass(String id, PolicyClassProvider provider, Config config) {

        /**
         * The provider as the interface a trainer works through ({@link org.l2o.api.update.PolicyProvider}
         * or {@link org.l2o.api.update.CoordinatewisePolicyProvider}); the message names the policy,
         * its capabilities and the trainer.
         */
        public <P extends PolicyClassProvider> P as(Class<P> view, String trainer) {
            if (!view.isInstance(provider)) {
                throw new ConfigurationException("trainer '" + trainer + "': policy '" + id + "' offers "
                        + provider.capabilities().stream().map(c -> c.label()).sorted().toList()
                        + ", this trainer works through " + view.getSimpleName());
            }
            return view.cast(provider);
        }
    }

    /** A feature map with the id and configuration it was created from. */
    public record Features(String id, Config config, FeatureMap map) {
    }

    public MetaTrainingRequest {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(resume, "resume");
        Objects.requireNonNull(validation, "validation");
        objectiveParameters = Map.copyOf(objectiveParameters);
        if (trainObjectives <= 0 || steps <= 0) {
            throw new IllegalArgumentException("trainObjectives and steps must be positive");
        }
    }
}
