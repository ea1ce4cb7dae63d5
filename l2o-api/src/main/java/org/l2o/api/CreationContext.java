package org.l2o.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runtime hands a provider when it creates a plugin.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 *
 * @param dataDirectory where datasets are looked up (from {@code --data-dir} or {@code L2O_DATA});
 *                      empty when neither is set, in which case plugins fall back to embedded data
 * @param seed          root seed of the run; plugins derive child seeds with {@link Seeds}
 * @param rollouts      where a plugin runs independent rollouts (a meta-trainer's samples); results
 *                      must not depend on it
 */
public record CreationContext(Optional<Path> dataDirectory, long seed,
                              org.l2o.api.update.RolloutExecutor rollouts) {

    public CreationContext {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(rollouts, "rollouts");
    }

    /** A context whose rollouts run one after the other on the caller's thread. */
    public CreationContext(Optional<Path> dataDirectory, long seed) {
        this(dataDirectory, seed, org.l2o.api.update.RolloutExecutor.sequential());
    }

    /** This context with {@code executor} for rollouts. */
    public CreationContext withRollouts(org.l2o.api.update.RolloutExecutor executor) {
        return new CreationContext(dataDirectory, seed, executor);
    }

    /** A context with no data directory and seed 0, for tests and embedding. */
    public static CreationContext defaults() {
        return new CreationContext(Optional.empty(), 0L);
    }
}
