package org.l2o.api.meta;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

import java.util.Set;

/** Service interface of meta-trainer plugins. */
public interface MetaTrainerProvider extends PluginProvider {

    @Override
    default String kind() {
        return "trainer";
    }

    /** Creates a trainer for a configuration validated against {@link #parameters()}. */
    MetaTrainer create(Config config, CreationContext context);

    /**
     * Trainer parameters that may differ between a checkpoint and the command resuming it, such
     * as the iteration budget or a meta step size to lower for a longer run. A trainer listing a
     * parameter here must read it from its configuration on every run, never from its checkpoint
     * state; every other parameter must match for {@code --resume} to be accepted.
     */
    default Set<String> adjustableOnResume() {
        return Set.of("iterations");
    }
}
