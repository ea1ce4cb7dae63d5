package org.l2o.api.update;

import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;

/**
 * Service interface of feature-map plugins.
 *
 * <p>Providers are stateless and thread-safe (see {@link org.l2o.api.PluginProvider}); what they create is deterministic for a given configuration and seed.
 */
public interface FeatureMapProvider extends PluginProvider {

    @Override
    default String kind() {
        return "feature-map";
    }

    /** Creates a feature map for a configuration validated against {@link #parameters()}. */
    FeatureMap create(Config config, CreationContext context);
}
