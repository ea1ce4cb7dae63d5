package org.l2o.api.meta;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.PolicyClassProvider;

/**
 * What to meta-train on and with: the objective family (with the id and parameters it was created
 * from, for provenance), how many training objectives, the horizon, the root seed, the policy
 * class and feature map to learn (resolved by the runtime, since plugins never look each other
 * up), and optionally the state of an interrupted run to resume.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record MetaTrainingRequest(ObjectiveFamily family, String objective, Map<String, String> objectiveParameters,
                                  int trainObjectives, int steps, long seed, PolicyClass policy, Features features,
                                  Optional<byte[]> resume) {

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
        objectiveParameters = Map.copyOf(objectiveParameters);
        if (trainObjectives <= 0 || steps <= 0) {
            throw new IllegalArgumentException("trainObjectives and steps must be positive");
        }
    }
}
