package org.l2o.api.meta;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

import java.util.Set;
import org.l2o.api.update.PolicyCapability;

/**
 * Service interface of meta-trainer plugins.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface MetaTrainerProvider extends PluginProvider {

    @Override
    default String kind() {
        return "trainer";
    }

    /**
     * The policy class this trainer learns when the user names none, as a SPEC ({@code id} or
     * {@code id:key=value,...}), e.g. {@code mlp}.
     */
    String defaultPolicy();

    /** The feature map it feeds the policy when the user names none, as a SPEC, e.g. {@code lm2016}. */
    String defaultFeatures();

    /**
     * What this trainer needs of its policy class; the runtime refuses a policy that lacks one of
     * these before any work is done.
     */
    Set<PolicyCapability> requiredCapabilities();

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
