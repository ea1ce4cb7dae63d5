package org.l2o.api.update;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

/**
 * Service interface of optimizer plugins, classic and learned.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface UpdateRuleProvider extends PluginProvider {

    @Override
    default String kind() {
        return "optimizer";
    }

    /** Creates a rule for a configuration validated against {@link #parameters()}. */
    UpdateRule create(Config config, CreationContext context);
}
