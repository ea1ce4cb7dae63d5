package org.l2o.api.objective;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

/**
 * Service interface of objective plugins.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface ObjectiveProvider extends PluginProvider {

    @Override
    default String kind() {
        return "objective";
    }

    /**
     * Creates the family for a configuration validated against {@link #parameters()}. May load
     * data (and throw {@link org.l2o.api.DataFormatException} naming the file).
     */
    ObjectiveFamily create(Config config, CreationContext context);
}
